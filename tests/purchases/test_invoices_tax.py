"""Tax at checkout: Stripe Tax's figures from the session, the local gateway's own rate."""

import pytest
from django.urls import reverse

from purchases.checks import tax_rate_is_a_percentage
from purchases.models import Invoice, Order
from purchases.services.refunds import request_refund
from tests.purchases.factories import event

pytestmark = pytest.mark.django_db

CARD = {"expiry": "12/34", "cvc": "123", "name": "Alice Learner"}

# customer_details as a Checkout Session carries it
# (https://docs.stripe.com/api/checkout/sessions/object#checkout_session_object-customer_details).
CUSTOMER = {
    "address": {
        "city": "Berlin",
        "country": "DE",
        "line1": "Unter den Linden 1",
        "line2": None,
        "postal_code": "10117",
        "state": None,
    },
    "email": "alice@example.com",
    "name": "Alice Example GmbH",
    "phone": None,
    "tax_exempt": "none",
    "tax_ids": [{"type": "eu_vat", "value": "DE123456789"}],
}


@pytest.fixture
def checkout(client, learner, course, stripe_api):
    """Start a Stripe checkout; returns the created session as the fake Stripe stores it."""
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    [created] = stripe_api.calls("POST", "/v1/checkout/sessions")
    return created["params"], stripe_api.sessions[Order.objects.get().checkout_session_id]


def pay_with_tax(stripe_api, deliver, session, *, amount_tax: int, amount_total: int):
    """Stripe Tax has run: the session carries the tax, the total and the buyer's details."""
    stripe_api.pay(session["id"])
    session.update(
        amount_total=amount_total,
        total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": amount_tax},
        automatic_tax={"enabled": True, "liability": None, "status": "complete"},
        customer_details=CUSTOMER,
    )
    deliver(event("checkout.session.completed", session))
    return Order.objects.get()


@pytest.mark.parametrize(("include", "behavior"), [(True, "inclusive"), (False, "exclusive")])
def test_stripe_checkout_asks_stripe_tax_for_the_tax_and_the_buyers_address(
    settings, client, learner, course, stripe_api, include, behavior
):
    settings.PRICES_INCLUDE_TAX = include
    client.force_login(learner)

    client.post(reverse("purchases:checkout", args=[course.slug]))

    [created] = stripe_api.calls("POST", "/v1/checkout/sessions")
    params = created["params"]
    assert params["automatic_tax[enabled]"] == "true"
    assert params["tax_id_collection[enabled]"] == "true"
    assert params["billing_address_collection"] == "required"
    assert params["line_items[0][price_data][tax_behavior]"] == behavior
    assert params["line_items[0][price_data][unit_amount]"] == "4900"


def test_a_session_with_tax_included_stores_stripes_tax_on_the_invoice(
    settings, stripe_api, deliver, checkout
):
    _, session = checkout

    order = pay_with_tax(stripe_api, deliver, session, amount_tax=782, amount_total=4900)

    assert order.status == "paid"
    assert (order.amount_paid, order.tax_amount) == (4900, 782)
    invoice = Invoice.objects.get(order=order)
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (4118, 782, 4900)
    assert invoice.buyer_name == "Alice Example GmbH"
    assert invoice.buyer_tax_id == "DE123456789"
    assert "10117 Berlin" in invoice.buyer_address


def test_a_session_with_tax_added_is_paid_in_full_and_not_held_for_review(
    settings, client, learner, course, stripe_api, deliver
):
    settings.PRICES_INCLUDE_TAX = False
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    session = stripe_api.sessions[Order.objects.get().checkout_session_id]

    # amount_total = price + tax: more than the order's price, and that is right.
    order = pay_with_tax(stripe_api, deliver, session, amount_tax=931, amount_total=5831)

    assert order.status == "paid"
    assert (order.amount, order.amount_paid, order.tax_amount) == (4900, 5831, 931)
    invoice = Invoice.objects.get(order=order)
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (4900, 931, 5831)
    assert str(invoice.tax_rate) == "19.00"


def test_a_total_above_price_plus_tax_is_still_held_for_review(
    settings, client, learner, course, stripe_api, deliver
):
    settings.PRICES_INCLUDE_TAX = False
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    session = stripe_api.sessions[Order.objects.get().checkout_session_id]

    order = pay_with_tax(stripe_api, deliver, session, amount_tax=931, amount_total=9900)

    assert order.status == "needs_review"
    assert not Invoice.objects.exists()


def test_tax_included_prices_never_accept_a_total_above_the_price(stripe_api, deliver, checkout):
    _, session = checkout

    order = pay_with_tax(stripe_api, deliver, session, amount_tax=931, amount_total=5831)

    assert order.status == "needs_review"


def test_a_full_refund_of_an_order_with_tax_added_gives_back_the_tax_too(
    settings, client, learner, staff, course, stripe_api, deliver
):
    settings.PRICES_INCLUDE_TAX = False
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    session = stripe_api.sessions[Order.objects.get().checkout_session_id]
    order = pay_with_tax(stripe_api, deliver, session, amount_tax=931, amount_total=5831)

    request_refund(order=order, actor=staff)

    [sent] = stripe_api.calls("POST", "/v1/refunds")
    assert sent["params"]["amount"] == "5831"
    order.refresh_from_db()
    assert (order.status, order.refunded_amount, order.refunded_tax) == ("refunded", 5831, 931)
    note = order.invoice.credit_notes.get()
    assert (note.net_amount, note.tax_amount, note.gross_amount) == (-4900, -931, -5831)


@pytest.fixture
def local(settings):
    settings.DEBUG = True
    settings.PAYMENTS_GATEWAY = "local"
    settings.TAX_RATE_PERCENT = "21"


def test_the_local_checkout_adds_the_configured_tax_and_shows_it(
    settings, local, client, learner, course, django_capture_on_commit_callbacks
):
    settings.PRICES_INCLUDE_TAX = False
    client.force_login(learner)
    pay_page = client.post(reverse("purchases:checkout", args=[course.slug]))["Location"]

    page = client.get(pay_page)

    assert "€10.29" in page.text  # 21 % of €49.00
    assert "Pay €59.29" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            pay_page,
            {
                **CARD,
                "card_number": "4242 4242 4242 4242",
                "address_line1": "Veldstraat 1",
                "postal_code": "9000",
                "city": "Ghent",
                "country": "be",
                "tax_id": "BE0123123123",
            },
        )
    invoice = Invoice.objects.get()
    assert invoice.order.status == "paid"
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (4900, 1029, 5929)
    assert str(invoice.tax_rate) == "21.00"
    assert invoice.buyer_address == "Veldstraat 1\n9000 Ghent\nBE"
    assert invoice.buyer_tax_id == "BE0123123123"


def test_the_local_checkout_with_tax_included_charges_the_price(
    local, client, learner, course, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    pay_page = client.post(reverse("purchases:checkout", args=[course.slug]))["Location"]

    assert "€8.50" in client.get(pay_page).text  # 4900 * 21/121, tax included
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay_page, {**CARD, "card_number": "4242 4242 4242 4242"})

    invoice = Invoice.objects.get()
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (4050, 850, 4900)
    assert invoice.buyer_name == "Alice Learner"


def test_the_local_checkout_refuses_a_malformed_country_with_a_form_error(
    local, client, learner, course
):
    client.force_login(learner)
    pay_page = client.post(reverse("purchases:checkout", args=[course.slug]))["Location"]

    response = client.post(
        pay_page, {**CARD, "card_number": "4242 4242 4242 4242", "country": "B1"}
    )

    assert response.status_code == 200
    assert "two-letter country code" in response.text
    assert not Invoice.objects.exists()


def test_the_receipt_shows_the_tax_and_links_the_invoice_pdf_without_calling_it_a_discount(
    settings, client, learner, course, stripe_api, deliver, mailoutbox
):
    settings.PRICES_INCLUDE_TAX = False
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    session = stripe_api.sessions[Order.objects.get().checkout_session_id]

    order = pay_with_tax(stripe_api, deliver, session, amount_tax=931, amount_total=5831)

    [receipt] = mailoutbox
    pdf_url = settings.SITE_URL + reverse("purchases:invoice_pdf", args=[order.number])
    for part in (receipt.body, receipt.alternatives[0][0]):
        assert "€9.31" in part
        assert "paid €58.31" in part
        assert "after discount" not in part
        assert pdf_url in part
    page = client.get(order.get_absolute_url())
    assert "after discount" not in page.text
    assert "added to the price" in page.text


@pytest.mark.parametrize(("value", "errors"), [("21", 0), ("5.5", 0), ("abc", 1), ("150", 1)])
def test_a_tax_rate_that_is_not_a_percentage_is_reported_at_start_up(settings, value, errors):
    settings.TAX_RATE_PERCENT = value

    assert len(tax_rate_is_a_percentage(None)) == errors
