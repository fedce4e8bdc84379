"""Invoices for paid orders and credit notes for refunds: numbered without gaps, immutable.

Both are issued inside the transaction that changes the order (marks it paid, records a
succeeded refund), so a rollback takes the document and its number back with it.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from purchases.models import CreditNote, DocumentNumberCounter, Invoice, Order, Refund

INVOICE_SERIES = "invoice"
CREDIT_NOTE_SERIES = "credit-note"
HUNDRED = Decimal(100)


def round_half_up(value: Decimal) -> int:
    """To whole minor units, halves away from zero (commercial rounding), never banker's."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class TaxSplit:
    net: int
    tax: int
    gross: int


def split_tax(*, amount: int, rate: Decimal, prices_include_tax: bool) -> TaxSplit:
    """One line's net, tax and gross in minor units, the tax rounded half-up on the line.

    Inclusive: `amount` is gross and the tax is the part of it the rate accounts for.
    Exclusive: `amount` is net and the tax is added on top.
    """
    rate = Decimal(rate)
    if prices_include_tax:
        tax = round_half_up(Decimal(amount) * rate / (HUNDRED + rate))
        return TaxSplit(net=amount - tax, tax=tax, gross=amount)
    tax = round_half_up(Decimal(amount) * rate / HUNDRED)
    return TaxSplit(net=amount, tax=tax, gross=amount + tax)


def configured_tax_rate() -> Decimal:
    return Decimal(str(settings.TAX_RATE_PERCENT))


def derived_tax_rate(*, net: int, tax: int) -> Decimal:
    """The rate an invoice shows when the provider reports only amounts (Stripe Tax)."""
    if net <= 0 or tax <= 0:
        return Decimal("0.00")
    return (Decimal(tax) * HUNDRED / Decimal(net)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def next_number(*, series: str, prefix: str) -> str:
    """The next number of the series for this year, e.g. DS-2026-000001.

    The counter row is locked until the caller's transaction ends: numbers are taken one
    at a time, and a rollback returns the number, so the series has no gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Document numbers are taken inside the issuing transaction.")
    year = timezone.localdate().year
    # The first document of a year creates the row; a simultaneous first one must not fail.
    DocumentNumberCounter.objects.bulk_create(
        [DocumentNumberCounter(series=series, year=year)], ignore_conflicts=True
    )
    counter = DocumentNumberCounter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


def _address_lines(address: dict | None) -> str:
    if not address:
        return ""
    city = " ".join(p for p in (address.get("postal_code"), address.get("city")) if p)
    parts = [
        address.get("line1"),
        address.get("line2"),
        city,
        address.get("state"),
        address.get("country"),
    ]
    return "\n".join(p for p in parts if p)


def _tax_id(details: dict) -> str:
    ids = details.get("tax_ids") or []
    return ", ".join(str(t.get("value", "")) for t in ids if t.get("value"))


def issue_invoice(*, order: Order) -> Invoice:
    """The order's invoice, issued now if it has none. Idempotent; call with the order locked.

    Amounts come from what was charged (stored on the order at fulfilment), never from the
    course's current price.
    """
    existing = Invoice.objects.filter(order=order).first()
    if existing is not None:
        return existing
    gross = order.amount_paid if order.amount_paid is not None else order.price_with_tax
    tax = min(order.tax_amount, gross)
    details = order.billing_details or {}
    rate = (
        order.tax_rate if order.tax_rate is not None else derived_tax_rate(net=gross - tax, tax=tax)
    )
    return Invoice.objects.create(
        number=next_number(series=INVOICE_SERIES, prefix=settings.INVOICE_NUMBER_PREFIX),
        order=order,
        issued_at=timezone.now(),
        currency=order.currency.upper(),
        net_amount=gross - tax,
        tax_amount=tax,
        gross_amount=gross,
        tax_rate=rate,
        prices_include_tax=order.prices_include_tax,
        seller_name=settings.SELLER_NAME,
        seller_address=settings.SELLER_ADDRESS,
        seller_vat_id=settings.SELLER_VAT_ID,
        buyer_name=(details.get("name") or "")[:200],
        buyer_email=details.get("email") or order.email,
        buyer_address=_address_lines(details.get("address")),
        buyer_tax_id=_tax_id(details)[:100],
        description=order.course.title[:300],
    )


def issue_credit_note(*, refund: Refund) -> CreditNote | None:
    """A succeeded refund's credit note, if its order was invoiced. Idempotent; call with the
    order locked.

    The tax credited so far is kept proportional to the gross credited so far (rounded
    half-up), so partial notes split like the invoice and a full refund credits its tax
    exactly, without a cent left over from rounding.
    """
    existing = CreditNote.objects.filter(refund=refund).first()
    if existing is not None:
        return existing
    invoice = Invoice.objects.filter(order_id=refund.order_id).first()
    if invoice is None or invoice.gross_amount <= 0:
        return None
    before = list(invoice.credit_notes.values_list("gross_amount", "tax_amount"))
    credited_gross = -sum(g for g, _ in before)
    credited_tax = -sum(t for _, t in before)
    gross = min(refund.amount, invoice.gross_amount - credited_gross)
    if gross <= 0:
        return None
    tax_after = round_half_up(
        Decimal(invoice.tax_amount) * (credited_gross + gross) / invoice.gross_amount
    )
    tax = tax_after - credited_tax
    note = CreditNote.objects.create(
        number=next_number(
            series=CREDIT_NOTE_SERIES, prefix=f"{settings.INVOICE_NUMBER_PREFIX}-CN"
        ),
        invoice=invoice,
        refund=refund,
        issued_at=timezone.now(),
        currency=invoice.currency,
        net_amount=-(gross - tax),
        tax_amount=-tax,
        gross_amount=-gross,
    )
    Order.objects.filter(pk=refund.order_id).update(refunded_tax=tax_after)
    return note
