"""Asking the provider about pending orders, so a lost webhook or a worker outage loses nothing."""

import logging
from datetime import timedelta

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from purchases.gateways import GatewayError, get_gateway
from purchases.models import Order
from purchases.services.fulfilment import close_order, fulfil_order

logger = logging.getLogger(__name__)

S = Order.Status

# Stripe Checkout Sessions expire after 24 hours by default.
SESSION_LIFETIME = timedelta(hours=24)


def reconcile_order(*, order_id: int) -> Order:
    """Ask the provider about a pending order whose events may have been lost."""
    order = Order.objects.get(pk=order_id)
    if order.status != S.PENDING:
        return order
    if not order.checkout_session_id:
        if timezone.now() - order.created_at > SESSION_LIFETIME:
            close_order(order_id=order.pk, cause="checkout never started")
        return Order.objects.get(pk=order_id)
    Order.objects.filter(pk=order.pk).update(reconciled_at=timezone.now())
    try:
        session = get_gateway().retrieve_session(order.checkout_session_id)
    except GatewayError:
        logger.warning("Could not reconcile order", extra={"order": order.number})
        if timezone.now() - order.created_at > 2 * SESSION_LIFETIME:
            close_order(order_id=order.pk, cause="session unknown to the provider")
        return Order.objects.get(pk=order_id)
    if session.is_paid:
        fulfil_order(order_id=order.pk, session=session, cause="reconciled: session paid")
    elif session.status == "expired":
        close_order(order_id=order.pk, cause="reconciled: session expired")
    return Order.objects.get(pk=order_id)


def reconcile_pending_orders(
    *,
    older_than: timedelta = timedelta(minutes=30),
    recheck_after: timedelta = timedelta(minutes=10),
    limit: int = 200,
) -> int:
    """Ask the provider about pending orders older than `older_than`, a batch at a time.

    Orders past their session's end come first (the provider has settled them: paid or
    expired), then the ones asked about least recently, so every order gets its turn however
    many checkouts are still open.
    """
    now = timezone.now()
    ended = Case(
        When(created_at__lt=now - SESSION_LIFETIME, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    ids = list(
        Order.objects.filter(status=S.PENDING, created_at__lt=now - older_than)
        .exclude(reconciled_at__gte=now - recheck_after)
        .order_by(ended, F("reconciled_at").asc(nulls_first=True), "created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for order_id in ids:
        reconcile_order(order_id=order_id)
    return len(ids)
