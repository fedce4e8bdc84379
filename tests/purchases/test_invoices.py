"""Invoices and credit notes: gapless numbers, one invoice per order, tax arithmetic."""

import io
import threading
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from purchases.gateways import CheckoutSession, ProviderRefund
from purchases.models import CreditNote, DocumentNumberCounter, Invoice, Order
from purchases.services import fulfilment
from purchases.services.fulfilment import accept_payment, fulfil_order
from purchases.services.invoices import split_tax
from purchases.services.refunds import apply_refund_update
from tests.factories import CourseFactory
from tests.purchases.factories import OrderFactory, session_object

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def invoice_number(n: int) -> str:
    return f"DS-{YEAR}-{n:06d}"


def fulfil(order, **overrides) -> None:
    session = CheckoutSession.from_stripe(session_object(order, **overrides))
    fulfil_order(order_id=order.pk, session=session, cause="test payment")


def refund(order, amount: int, refund_id: str, status: str = "succeeded") -> None:
    apply_refund_update(
        order_id=order.pk,
        refund=ProviderRefund(id=refund_id, amount=amount, status=status),
    )


@pytest.mark.parametrize(
    ("amount", "rate", "inclusive", "expected"),
    [
        # 4900 * 21/121 = 850.41 → 850 of the price is tax.
        (4900, "21", True, (4050, 850, 4900)),
        # 4900 * 21 % = 1029 added on top.
        (4900, "21", False, (4900, 1029, 5929)),
        # Exactly half a cent rounds up, never to even: 3 * 20/120 = 0.5 → 1.
        (3, "20", True, (2, 1, 3)),
        # 10 * 5 % = 0.5 → 1; 250 * 5.5 % = 13.75 → 14.
        (10, "5", False, (10, 1, 11)),
        (250, "5.5", False, (250, 14, 264)),
        (4900, "0", True, (4900, 0, 4900)),
    ],
)
def test_tax_is_rounded_half_up_to_whole_cents_on_the_line(amount, rate, inclusive, expected):
    split = split_tax(amount=amount, rate=Decimal(rate), prices_include_tax=inclusive)

    assert (split.net, split.tax, split.gross) == expected


def test_a_paid_order_gets_an_invoice_with_the_sellers_and_buyers_details(settings):
    settings.SELLER_NAME = "Data School SRL"
    settings.SELLER_VAT_ID = "BE0999999999"
    order = OrderFactory(course=CourseFactory(title="SQL for analysts", price_amount=4900))

    fulfil(
        order,
        total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": 850},
        customer_details={
            "address": {
                "city": "Ghent",
                "country": "BE",
                "line1": "Veldstraat 1",
                "line2": None,
                "postal_code": "9000",
                "state": None,
            },
            "email": order.email,
            "name": "Alice Example BV",
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [{"type": "eu_vat", "value": "BE0123123123"}],
        },
    )

    invoice = Invoice.objects.get(order=order)
    assert invoice.number == invoice_number(1)
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (4050, 850, 4900)
    assert invoice.tax_rate == Decimal("20.99")  # derived from Stripe's amounts
    assert (invoice.seller_name, invoice.seller_vat_id) == ("Data School SRL", "BE0999999999")
    assert invoice.buyer_name == "Alice Example BV"
    assert invoice.buyer_address == "Veldstraat 1\n9000 Ghent\nBE"
    assert invoice.buyer_tax_id == "BE0123123123"
    assert invoice.description == "SQL for analysts"
    assert invoice.currency == "EUR"


def test_invoice_numbers_follow_each_other_without_gaps():
    orders = [OrderFactory() for _ in range(3)]

    for order in orders:
        fulfil(order)

    assert [Invoice.objects.get(order=o).number for o in orders] == [
        invoice_number(1),
        invoice_number(2),
        invoice_number(3),
    ]


def test_a_second_fulfilment_of_the_same_order_issues_no_second_invoice():
    order = OrderFactory()

    fulfil(order)
    fulfil(order)

    assert Invoice.objects.filter(order=order).count() == 1
    assert DocumentNumberCounter.objects.get(series="invoice").last == 1


def test_a_fulfilment_that_rolls_back_gives_its_number_back():
    first, second = OrderFactory(), OrderFactory()
    with (
        mock.patch.object(fulfilment, "grant_access", side_effect=RuntimeError("enrol failed")),
        pytest.raises(RuntimeError),
    ):
        fulfil(first)  # the invoice was issued, then the transaction rolled back

    fulfil(second)

    first.refresh_from_db()
    assert first.status == "pending"
    assert not Invoice.objects.filter(order=first).exists()
    assert Invoice.objects.get(order=second).number == invoice_number(1)


def test_a_payment_accepted_after_review_gets_its_invoice(staff):
    order = OrderFactory()
    fulfil(order, amount_subtotal=4000, amount_total=4000)  # not the order's price
    order.refresh_from_db()
    assert order.status == "needs_review"
    assert not Invoice.objects.exists()

    accept_payment(order_id=order.pk, actor=staff)

    invoice = Invoice.objects.get(order=order)
    assert (invoice.number, invoice.gross_amount) == (invoice_number(1), 4000)


def test_an_issued_invoice_cannot_be_changed():
    order = OrderFactory()
    fulfil(order)
    invoice = Invoice.objects.get(order=order)
    invoice.gross_amount = 1

    with pytest.raises(ValueError, match="cannot be changed"):
        invoice.save()


def test_the_database_refuses_to_change_or_delete_an_issued_invoice():
    order = OrderFactory()
    fulfil(order)
    invoices = Invoice.objects.filter(order=order)

    with pytest.raises(IntegrityError, match="cannot be changed or deleted"), transaction.atomic():
        invoices.update(gross_amount=1)
    with pytest.raises(IntegrityError, match="cannot be changed or deleted"), transaction.atomic():
        invoices.delete()

    assert invoices.get().gross_amount == 4900


def test_a_partial_refund_produces_a_credit_note_split_like_the_invoice():
    order = OrderFactory(amount=4900)
    fulfil(order, total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": 850})

    refund(order, 1500, "re_partial")

    note = CreditNote.objects.get()
    assert note.number == f"DS-CN-{YEAR}-000001"
    assert note.invoice == Invoice.objects.get(order=order)
    # 850 * 1500 / 4900 = 260.2 → 260 of the refund was tax.
    assert (note.net_amount, note.tax_amount, note.gross_amount) == (-1240, -260, -1500)
    order.refresh_from_db()
    assert (order.status, order.refunded_tax) == ("paid", 260)


def test_partial_refunds_that_add_up_to_everything_credit_the_tax_to_the_cent():
    order = OrderFactory(amount=4900)
    fulfil(order, total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": 850})

    refund(order, 1501, "re_1")
    refund(order, 1700, "re_2")
    refund(order, 1699, "re_3")

    notes = CreditNote.objects.order_by("id")
    assert [n.number for n in notes] == [f"DS-CN-{YEAR}-{n:06d}" for n in (1, 2, 3)]
    assert sum(n.gross_amount for n in notes) == -4900
    assert sum(n.tax_amount for n in notes) == -850
    assert sum(n.net_amount for n in notes) == -4050


def test_a_full_refund_produces_one_credit_note_for_the_whole_invoice():
    order = OrderFactory(amount=4900)
    fulfil(order, total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": 850})

    refund(order, 4900, "re_full")

    note = CreditNote.objects.get()
    assert (note.net_amount, note.tax_amount, note.gross_amount) == (-4050, -850, -4900)
    order.refresh_from_db()
    assert order.status == "refunded"


def test_a_refund_event_delivered_twice_issues_one_credit_note():
    order = OrderFactory(amount=4900)
    fulfil(order)

    refund(order, 1000, "re_twice")
    refund(order, 1000, "re_twice")

    assert CreditNote.objects.count() == 1


def test_a_refund_that_does_not_succeed_issues_no_credit_note():
    order = OrderFactory(amount=4900)
    fulfil(order)

    refund(order, 1000, "re_pending", status="pending")
    refund(order, 1000, "re_failed", status="failed")

    assert not CreditNote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_fulfilments_number_invoices_without_gaps_even_when_one_rolls_back():
    orders = [OrderFactory() for _ in range(6)]
    doomed = orders[2].pk
    real_grant = fulfilment.grant_access

    def grant_or_fail(order):
        if order.pk == doomed:
            raise RuntimeError("enrol failed after the invoice was numbered")
        real_grant(order)

    barrier = threading.Barrier(len(orders))
    errors: list[Exception] = []

    def pay(order):
        try:
            barrier.wait()
            fulfil(order)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch.object(fulfilment, "grant_access", side_effect=grant_or_fail):
        threads = [threading.Thread(target=pay, args=(o,)) for o in orders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert [str(e) for e in errors] == ["enrol failed after the invoice was numbered"]
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [invoice_number(n) for n in range(1, 6)]
    assert Order.objects.filter(status="paid").count() == 5
    assert not Invoice.objects.filter(order_id=doomed).exists()


def test_issue_missing_invoices_invoices_orders_paid_before_invoicing_once():
    older = OrderFactory(status="paid", paid_at=timezone.now() - timedelta(days=2))
    newer = OrderFactory(status="refunded", paid_at=timezone.now() - timedelta(days=1))
    OrderFactory(status="pending")
    out = io.StringIO()

    call_command("issue_missing_invoices", stdout=out, verbosity=0)
    call_command("issue_missing_invoices", stdout=out, verbosity=0)

    assert Invoice.objects.get(order=older).number == invoice_number(1)
    assert Invoice.objects.get(order=newer).number == invoice_number(2)
    assert Invoice.objects.count() == 2
    assert out.getvalue().splitlines() == ["2 invoices issued.", "0 invoices issued."]
