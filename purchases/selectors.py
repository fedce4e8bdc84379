"""Reads for the orders pages and the sales summary."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import User
from purchases.models import CreditNote, Invoice, Order

REVENUE_STATUSES = [Order.Status.PAID, Order.Status.REFUNDED, Order.Status.DISPUTED]
# What the provider charged (the price less any promotion code, tax included).
GROSS = Sum(Coalesce(F("amount_paid"), F("amount")))
# Tax charged, less the tax given back by credit notes.
TAX = Sum(F("tax_amount") - F("refunded_tax"))
REFUNDS = Sum("refunded_amount")


def orders_for(*, user: User) -> QuerySet[Order]:
    return (
        Order.objects.filter(user=user)
        .select_related("course", "invoice")
        .prefetch_related("invoice__credit_notes")
        .order_by("-created_at")
    )


def order_for(*, user: User, number: str) -> Order | None:
    """The user's order by number; the view has already refused malformed numbers (404)."""
    return orders_for(user=user).filter(number=number).first()


def invoice_for(*, user: User, order_number: str) -> Invoice | None:
    """The order's invoice if `user` bought it or is staff; None otherwise (the view's 404)."""
    invoices = Invoice.objects.select_related("order__course").filter(order__number=order_number)
    if not user.is_staff:
        invoices = invoices.filter(order__user=user)
    return invoices.first()


def credit_notes_of(*, order: Order) -> list[CreditNote]:
    return list(CreditNote.objects.filter(invoice__order=order).order_by("issued_at", "id"))


def credit_note_for(*, user: User, order_number: str, number: str) -> CreditNote | None:
    """A credit note of the order if `user` bought it or is staff."""
    notes = CreditNote.objects.select_related("invoice__order__course").filter(
        number=number, invoice__order__number=order_number
    )
    if not user.is_staff:
        notes = notes.filter(invoice__order__user=user)
    return notes.first()


def order_for_session(*, user: User, session_id: str) -> Order | None:
    """The user's order of a checkout session (the return from checkout names it)."""
    return orders_for(user=user).filter(checkout_session_id=session_id).first()


@dataclass(frozen=True)
class Row:
    label: str
    currency: str
    orders: int
    gross: int  # charged, tax included
    tax: int  # tax charged less tax refunded
    refunds: int  # refunded, tax included
    percent: int  # bar width relative to the largest row of the same currency

    @property
    def revenue(self) -> int:
        """What was kept, tax included: gross less refunds."""
        return self.gross - self.refunds

    @property
    def net(self) -> int:
        """What was kept, without the tax owed on it."""
        return self.gross - self.refunds - self.tax


def _rows(items: list[dict], label_key: str) -> list[Row]:
    largest: dict[str, int] = {}
    for item in items:
        revenue = (item["gross"] or 0) - (item["refunds"] or 0)
        largest[item["currency"]] = max(largest.get(item["currency"], 0), revenue)
    rows = []
    for item in items:
        revenue = (item["gross"] or 0) - (item["refunds"] or 0)
        top = largest[item["currency"]]
        rows.append(
            Row(
                label=str(item[label_key]),
                currency=item["currency"],
                orders=item["orders"],
                gross=item["gross"] or 0,
                tax=item["tax"] or 0,
                refunds=item["refunds"] or 0,
                percent=round(100 * revenue / top) if top > 0 else 0,
            )
        )
    return rows


def _fill_days(items: list[dict], *, start: date, end: date) -> list[dict]:
    """One row per day and currency, zero on days without sales, so the chart has no gaps."""
    currencies = sorted({item["currency"] for item in items})
    found = {(item["day"], item["currency"]): item for item in items}
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [
        found.get(
            (day, cur),
            {"day": day, "currency": cur, "orders": 0, "gross": 0, "tax": 0, "refunds": 0},
        )
        for day in days
        for cur in currencies
    ]


@dataclass(frozen=True)
class SalesSummary:
    since: date
    per_day: list[Row]
    per_course: list[Row]


def sales_summary(*, days: int = 30) -> SalesSummary:
    """Gross, tax, refunds and net of orders paid in the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    paid = Order.objects.filter(status__in=REVENUE_STATUSES, paid_at__gte=since)
    per_day = list(
        paid.annotate(day=TruncDate("paid_at"))
        .values("day", "currency")
        .annotate(orders=Count("id"), gross=GROSS, tax=TAX, refunds=REFUNDS)
        .order_by("day", "currency")
    )
    per_day = _fill_days(per_day, start=since.date(), end=timezone.now().date())
    per_course = list(
        paid.values("course__title", "currency")
        .annotate(orders=Count("id"), gross=GROSS, tax=TAX, refunds=REFUNDS)
        .order_by((F("gross") - F("refunds")).desc(), "course__title")
    )
    return SalesSummary(
        since=since.date(),
        per_day=_rows(per_day, "day"),
        per_course=_rows(per_course, "course__title"),
    )


def accounting_documents(*, since: date, until: date) -> list[Invoice | CreditNote]:
    """Invoices and credit notes issued from `since` to `until` (whole days), in issue order."""
    invoices = Invoice.objects.filter(
        issued_at__date__gte=since, issued_at__date__lte=until
    ).select_related("order__course")
    notes = CreditNote.objects.filter(
        issued_at__date__gte=since, issued_at__date__lte=until
    ).select_related("invoice__order__course")
    return sorted([*invoices, *notes], key=lambda d: (d.issued_at, d.number))
