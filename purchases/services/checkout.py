"""Starting a checkout, and fulfilling on the learner's return from the provider."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from learning.prerequisites import check_prerequisite
from learning.selectors import has_access
from purchases.gateways import GatewayError, get_gateway
from purchases.models import Order, OrderEvent
from purchases.services.fulfilment import close_order, fulfil_order
from purchases.services.reconcile import SESSION_LIFETIME, reconcile_order
from purchases.services.transitions import record_note

logger = logging.getLogger(__name__)

S = Order.Status

CHECKOUT_FAILED = "checkout could not start"
RETURN_ASK_INTERVAL = timedelta(seconds=10)
# A pending order is reused only if its session has at least this long left to be paid.
REUSE_MARGIN = timedelta(hours=1)


class AlreadyEnrolled(Exception):
    """The learner already has access: no order is created."""


def _has_access(user: User, course: Course) -> bool:
    return has_access(user=user, course=course)


def start_checkout(*, user: User, course: Course, success_url: str, cancel_url: str) -> Order:
    """A pending order with the price captured now, and its checkout session (reused if open).

    The provider is called outside the transaction; the idempotency key `order-<id>` makes a
    second call for the same order return the same session. A failed call is noted on the
    order, and the next attempt gets a key of its own (Stripe replays a saved error).
    """
    if not course.is_published:
        raise ValidationError("This course is not on sale.")
    if course.is_free:
        raise ValidationError("This course is free: enrol from its page.")
    if _has_access(user, course):
        raise AlreadyEnrolled
    check_prerequisite(user=user, course=course)
    if Order.objects.filter(user=user, course=course, status=S.NEEDS_REVIEW).exists():
        # Paying again would charge twice: that payment is settled by staff first.
        raise ValidationError(
            "We have received a payment for this course that we are checking by hand. "
            "You do not need to pay again: we will email you once it is settled."
        )
    order = Order.objects.filter(user=user, course=course, status=S.PENDING).first()
    if order is not None and timezone.now() - order.created_at > SESSION_LIFETIME - REUSE_MARGIN:
        # Its session has ended or is about to: settle it with the provider before reusing it.
        order = reconcile_order(order_id=order.pk)
        if _has_access(user, course):
            raise AlreadyEnrolled
        if order.status == S.PENDING and order.checkout_session_id:
            order = _replace_ending_session(order, actor=user)
        if order.status != S.PENDING:
            order = None
    if order is None:
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    user=user,
                    email=user.email,
                    course=course,
                    amount=course.price_amount,
                    currency=course.currency.upper(),
                    prices_include_tax=settings.PRICES_INCLUDE_TAX,
                )
                OrderEvent.objects.create(
                    order=order,
                    from_status=S.PENDING,
                    to_status=S.PENDING,
                    cause="checkout started",
                    actor=user,
                )
        except IntegrityError:
            # A simultaneous click created it first: the partial unique index says so.
            order = Order.objects.get(user=user, course=course, status=S.PENDING)
    if order.checkout_session_id and order.checkout_url:
        return order
    failures = order.events.filter(cause__startswith=CHECKOUT_FAILED).count()
    try:
        session = get_gateway().create_checkout(
            order=order, success_url=success_url, cancel_url=cancel_url, attempt=failures
        )
    except GatewayError as exc:
        # The order stays pending, without a session: the next "Buy" reuses it and retries.
        logger.exception("Could not create a checkout session", extra={"order": order.number})
        record_note(order=order, cause=f"{CHECKOUT_FAILED}: {exc}", actor=user)
        raise ValidationError(
            "The payment provider could not be reached or refused the request. "
            "You have not been charged: please try again in a minute."
        ) from exc
    Order.objects.filter(pk=order.pk).update(
        checkout_session_id=session.id, checkout_url=session.url
    )
    order.checkout_session_id, order.checkout_url = session.id, session.url
    return order


def _replace_ending_session(order: Order, *, actor: User) -> Order:
    """Expire a session too close to its end to be paid, and close its order."""
    try:
        get_gateway().expire_session(order.checkout_session_id)
    except GatewayError as exc:
        # Most likely paid or expired a moment ago: its event settles the order shortly.
        logger.warning("Could not expire an ending session", extra={"order": order.number})
        raise ValidationError(
            "Your previous checkout for this course is still being settled. "
            "You have not been charged twice: please try again in a minute."
        ) from exc
    close_order(order_id=order.pk, cause="session about to end: replaced by a new checkout")
    return Order.objects.get(pk=order.pk)


def fulfil_on_return(*, order: Order) -> Order:
    """The learner is back from the provider: fulfil now if the session is already paid.

    Stripe recommends fulfilling from the return as well as from the webhook; both paths are
    idempotent. A provider that cannot be reached leaves the order to the webhook.
    """
    if order.status not in (S.PENDING, S.CLOSED) or not order.checkout_session_id:
        return order
    # The processing page polls every 2 s (slow payment methods take days): ask the provider
    # at most every few seconds per order; the webhook fulfils in any case.
    now = timezone.now()
    asked = (
        Order.objects.filter(pk=order.pk)
        .exclude(reconciled_at__gt=now - RETURN_ASK_INTERVAL)
        .update(reconciled_at=now)
    )
    if not asked:
        return order
    try:
        session = get_gateway().retrieve_session(order.checkout_session_id)
    except GatewayError:
        return order
    if session.is_paid:
        fulfil_order(order_id=order.pk, session=session, cause="customer returned")
        order.refresh_from_db()
    return order


def cancel_pending_order(*, order: Order, actor: User) -> Order:
    """The learner gives up a pending checkout: end its session so that it can no longer be
    paid, and close the order. A payment that still arrives is fulfilled (closed → paid)."""
    if order.status != S.PENDING:
        raise ValidationError("Only an order waiting for payment can be cancelled.")
    if order.checkout_session_id:
        try:
            get_gateway().expire_session(order.checkout_session_id)
        except GatewayError:
            # Already ended, or paid a moment ago: then its event fulfils the closed order.
            logger.warning("Could not expire a cancelled session", extra={"order": order.number})
    close_order(order_id=order.pk, cause="cancelled by the learner", actor=actor)
    return Order.objects.get(pk=order.pk)
