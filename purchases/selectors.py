"""Reads for the orders pages and the sales summary."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import User
from purchases.models import Order

REVENUE_STATUSES = [Order.Status.PAID, Order.Status.REFUNDED, Order.Status.DISPUTED]
# What the provider charged (the price less any promotion code), less what went back.
NET_REVENUE = Sum(Coalesce(F("amount_paid"), F("amount")) - F("refunded_amount"))


def orders_for(*, user: User) -> QuerySet[Order]:
    return Order.objects.filter(user=user).select_related("course").order_by("-created_at")


def order_for(*, user: User, number: str) -> Order | None:
    """The user's order by number; the view has already refused malformed numbers (404)."""
    return orders_for(user=user).filter(number=number).first()


def order_for_session(*, user: User, session_id: str) -> Order | None:
    """The user's order of a checkout session (the return from checkout names it)."""
    return orders_for(user=user).filter(checkout_session_id=session_id).first()


@dataclass(frozen=True)
class Row:
    label: str
    currency: str
    orders: int
    revenue: int
    percent: int  # bar width relative to the largest row of the same currency


def _rows(items: list[dict], label_key: str) -> list[Row]:
    largest: dict[str, int] = {}
    for item in items:
        largest[item["currency"]] = max(largest.get(item["currency"], 0), item["revenue"] or 0)
    return [
        Row(
            label=str(item[label_key]),
            currency=item["currency"],
            orders=item["orders"],
            revenue=item["revenue"] or 0,
            percent=round(100 * (item["revenue"] or 0) / largest[item["currency"]])
            if largest[item["currency"]]
            else 0,
        )
        for item in items
    ]


def _fill_days(items: list[dict], *, start: date, end: date) -> list[dict]:
    """One row per day and currency, zero on days without sales, so the chart has no gaps."""
    currencies = sorted({item["currency"] for item in items})
    found = {(item["day"], item["currency"]): item for item in items}
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [
        found.get((day, cur), {"day": day, "currency": cur, "orders": 0, "revenue": 0})
        for day in days
        for cur in currencies
    ]


@dataclass(frozen=True)
class SalesSummary:
    since: date
    per_day: list[Row]
    per_course: list[Row]


def sales_summary(*, days: int = 30) -> SalesSummary:
    """Net revenue (charged minus refunded) of orders paid in the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    paid = Order.objects.filter(status__in=REVENUE_STATUSES, paid_at__gte=since)
    per_day = list(
        paid.annotate(day=TruncDate("paid_at"))
        .values("day", "currency")
        .annotate(orders=Count("id"), revenue=NET_REVENUE)
        .order_by("day", "currency")
    )
    per_day = _fill_days(per_day, start=since.date(), end=timezone.now().date())
    per_course = list(
        paid.values("course__title", "currency")
        .annotate(orders=Count("id"), revenue=NET_REVENUE)
        .order_by("-revenue", "course__title")
    )
    return SalesSummary(
        since=since.date(),
        per_day=_rows(per_day, "day"),
        per_course=_rows(per_course, "course__title"),
    )
