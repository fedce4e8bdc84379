"""Invoice and credit-note pages and PDFs: the buyer's and staff's only."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from purchases.gateways import CheckoutSession, ProviderRefund
from purchases.models import CreditNote, Invoice
from purchases.services.fulfilment import fulfil_order
from purchases.services.refunds import apply_refund_update
from tests.purchases.factories import OrderFactory, session_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(learner, course) -> Invoice:
    order = OrderFactory(user=learner, course=course)
    session = session_object(
        order, total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": 850}
    )
    fulfil_order(order_id=order.pk, session=CheckoutSession.from_stripe(session), cause="test")
    return Invoice.objects.get(order=order)


@pytest.fixture
def credit_note(invoice) -> CreditNote:
    apply_refund_update(
        order_id=invoice.order_id,
        refund=ProviderRefund(id="re_pages", amount=1500, status="succeeded"),
    )
    return CreditNote.objects.get()


def invoice_urls(invoice) -> list[str]:
    number = invoice.order.number
    return [
        reverse("purchases:invoice", args=[number]),
        reverse("purchases:invoice_pdf", args=[number]),
    ]


def note_urls(note) -> list[str]:
    args = [note.invoice.order.number, note.number]
    return [
        reverse("purchases:credit_note", args=args),
        reverse("purchases:credit_note_pdf", args=args),
    ]


def pdf_text(response) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_the_buyer_sees_the_invoice_with_seller_buyer_and_tax(client, learner, invoice):
    client.force_login(learner)

    response = client.get(reverse("purchases:invoice", args=[invoice.order.number]))

    assert response.status_code == 200
    text = response.text
    assert f"Invoice {invoice.number}" in text
    assert "Data School Demo Ltd" in text
    assert "BE0123456789" in text
    assert "alice@example.com" in text
    assert "€40.50" in text  # net
    assert "€8.50" in text  # tax
    assert "€49.00" in text  # gross
    assert reverse("purchases:invoice_pdf", args=[invoice.order.number]) in text


def test_the_invoice_pdf_is_a_real_pdf_with_the_invoice_number(client, learner, invoice):
    client.force_login(learner)

    response = client.get(reverse("purchases:invoice_pdf", args=[invoice.order.number]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "private" in response["Cache-Control"]
    text = pdf_text(response)
    assert invoice.number in text
    assert "49.00" in text


def test_another_learner_gets_404_for_the_invoice_page_and_pdf(client, other_learner, invoice):
    client.force_login(other_learner)

    for url in invoice_urls(invoice):
        assert client.get(url).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, invoice):
    for url in invoice_urls(invoice):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_staff_can_open_any_invoice_and_its_pdf(client, staff, invoice):
    client.force_login(staff)

    page, pdf = (client.get(url) for url in invoice_urls(invoice))

    assert page.status_code == 200
    assert invoice.number in page.text
    assert pdf.content.startswith(b"%PDF")


def test_an_order_without_invoice_or_a_malformed_number_is_404(client, learner, course):
    pending = OrderFactory(user=learner, course=course)
    client.force_login(learner)

    assert client.get(reverse("purchases:invoice", args=[pending.number])).status_code == 404
    assert client.get("/orders/%00bad/invoice/").status_code == 404


def test_the_buyer_sees_the_credit_note_and_its_pdf(client, learner, credit_note):
    client.force_login(learner)

    page, pdf = (client.get(url) for url in note_urls(credit_note))

    assert page.status_code == 200
    assert f"Credit note {credit_note.number}" in page.text
    assert credit_note.invoice.number in page.text
    assert "\u2212€15.00" in page.text  # a minus sign
    assert pdf.content.startswith(b"%PDF")
    assert credit_note.number in pdf_text(pdf)


def test_another_learner_gets_404_for_the_credit_note(client, other_learner, credit_note):
    client.force_login(other_learner)

    for url in note_urls(credit_note):
        assert client.get(url).status_code == 404


def test_a_credit_note_is_not_found_under_another_order(client, learner, credit_note, course):
    other_order = OrderFactory(user=learner, course=course, status="closed")
    client.force_login(learner)

    url = reverse("purchases:credit_note", args=[other_order.number, credit_note.number])

    assert client.get(url).status_code == 404


def test_my_orders_and_the_order_page_link_to_the_invoice(client, learner, credit_note):
    invoice = credit_note.invoice
    number = invoice.order.number
    client.force_login(learner)

    orders = client.get(reverse("purchases:orders"))
    detail = client.get(reverse("purchases:order_detail", args=[number]))

    assert reverse("purchases:invoice_pdf", args=[number]) in orders.text
    assert reverse("purchases:invoice", args=[number]) in detail.text
    assert reverse("purchases:credit_note", args=[number, credit_note.number]) in detail.text
