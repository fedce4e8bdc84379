"""Every write on orders: checkout, the transition table, fulfilment, refunds, event processing.

Paid means enrolled, exactly once, whatever the order or number of times the provider's events
arrive: each path locks the order row, applies one allowed transition and is idempotent.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from courses.models import Course, Enrollment
from courses.services import enroll, revoke_enrollment
from purchases.gateways import CheckoutSession, GatewayError, get_gateway
from purchases.models import Order, OrderEvent, WebhookEvent

logger = logging.getLogger(__name__)

S = Order.Status

# The one place that says how an order may move. Anything else is refused and logged.
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.PAID, S.CLOSED, S.REFUNDED},
    S.PAID: {S.REFUNDED, S.DISPUTED},
    # A payment that completes after the checkout expired is still honoured.
    S.CLOSED: {S.PAID, S.REFUNDED},
    S.DISPUTED: {S.PAID, S.REFUNDED},
    S.REFUNDED: set(),
}

# Stripe Checkout Sessions expire after 24 hours by default.
SESSION_LIFETIME = timedelta(hours=24)
MAX_ATTEMPTS = 12


class AlreadyEnrolled(Exception):
    """The learner already has access: no order is created."""


class EventNotMatched(Exception):
    """The event's order cannot be found yet (e.g. a refund before the completion): retry."""


# --- Transitions ---------------------------------------------------------------------------


def apply_transition(
    *,
    order: Order,
    to: str,
    cause: str,
    stripe_event_id: str = "",
    actor: User | None = None,
) -> bool:
    """Move a locked order to `to` if the table allows it; record why. Never raises."""
    if to not in TRANSITIONS[order.status]:
        logger.warning(
            "Refused order transition",
            extra={"order": order.number, "from": order.status, "to": to, "cause": cause},
        )
        record_note(
            order=order,
            cause=f"refused → {to}: {cause}",
            stripe_event_id=stripe_event_id,
            actor=actor,
        )
        return False
    OrderEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=to,
        cause=cause[:255],
        stripe_event_id=stripe_event_id,
        actor=actor,
    )
    order.status = to
    if to == S.PAID and order.paid_at is None:
        order.paid_at = timezone.now()
    order.save()
    return True


def record_note(
    *, order: Order, cause: str, stripe_event_id: str = "", actor: User | None = None
) -> None:
    """An audit row for something notable that did not change the status."""
    OrderEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        cause=cause[:255],
        stripe_event_id=stripe_event_id,
        actor=actor,
    )


def _revoke(order: Order, reason: str) -> None:
    if order.user_id:
        revoke_enrollment(user=order.user, course=order.course, reason=reason)


def _lock(order_id: int) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("course", "user")
        .get(pk=order_id)
    )


# --- Checkout ------------------------------------------------------------------------------


def _has_access(user: User, course: Course) -> bool:
    return Enrollment.objects.filter(user=user, course=course, revoked_at__isnull=True).exists()


def start_checkout(*, user: User, course: Course, success_url: str, cancel_url: str) -> Order:
    """A pending order with the price captured now, and its checkout session (reused if open).

    The provider is called outside the transaction; the idempotency key `order-<id>` makes a
    second call for the same order return the same session.
    """
    if not course.is_published:
        raise ValidationError("This course is not on sale.")
    if course.is_free:
        raise ValidationError("This course is free: enrol from its page.")
    if _has_access(user, course):
        raise AlreadyEnrolled
    order = Order.objects.filter(user=user, course=course, status=S.PENDING).first()
    if order is not None and timezone.now() - order.created_at > SESSION_LIFETIME:
        order = reconcile_order(order_id=order.pk)
        if _has_access(user, course):
            raise AlreadyEnrolled
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
    try:
        session = get_gateway().create_checkout(
            order=order, success_url=success_url, cancel_url=cancel_url
        )
    except GatewayError as exc:
        logger.exception("Could not create a checkout session", extra={"order": order.number})
        raise ValidationError(
            "The payment provider could not be reached. Please try again in a minute."
        ) from exc
    Order.objects.filter(pk=order.pk).update(
        checkout_session_id=session.id, checkout_url=session.url
    )
    order.checkout_session_id, order.checkout_url = session.id, session.url
    return order


# --- Fulfilment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What processing did, for the event log: processed, or ignored with a reason."""

    ignored: bool = False
    note: str = ""


def _amount_matches(order: Order, session: CheckoutSession) -> bool:
    # Promotion codes lower amount_total; the order's price is the subtotal before discounts.
    price = session.amount_subtotal if session.amount_subtotal is not None else session.amount_total
    return price == order.amount and session.currency.upper() == order.currency.upper()


def fulfil_order(
    *, order_id: int, session: CheckoutSession, cause: str, stripe_event_id: str = ""
) -> Outcome:
    """Mark the order paid and enrol the learner if the session is really paid. Idempotent."""
    with transaction.atomic():
        order = _lock(order_id)
        if not session.is_paid:
            return Outcome(note="session not paid yet")
        if not _amount_matches(order, session):
            logger.error(
                "Payment does not match its order",
                extra={
                    "order": order.number,
                    "expected": f"{order.amount} {order.currency}",
                    "got": f"{session.amount_subtotal}/{session.amount_total} {session.currency}",
                },
            )
            record_note(order=order, cause="not fulfilled: amount or currency mismatch")
            return Outcome(ignored=True, note="amount or currency does not match the order")
        changed = []
        if not order.checkout_session_id:
            order.checkout_session_id = session.id
            changed.append("checkout_session_id")
        if session.payment_intent and not order.payment_intent_id:
            order.payment_intent_id = session.payment_intent
            changed.append("payment_intent_id")
        if order.amount_paid is None and session.amount_total is not None:
            order.amount_paid = session.amount_total
            changed.append("amount_paid")
        if changed:
            order.save(update_fields=[*changed, "updated_at"])
        if order.status == S.PAID:
            return Outcome(note="already paid")
        if not apply_transition(
            order=order, to=S.PAID, cause=cause, stripe_event_id=stripe_event_id
        ):
            return Outcome(ignored=True, note=f"order is {order.status}: payment recorded only")
        if order.user_id:
            enroll(user=order.user, course=order.course, source=Enrollment.Source.PURCHASE)
        from purchases.tasks import send_receipt

        transaction.on_commit(partial(send_receipt.delay, order.pk))
        return Outcome()


def close_order(*, order_id: int, cause: str, stripe_event_id: str = "") -> Outcome:
    with transaction.atomic():
        order = _lock(order_id)
        if order.status == S.CLOSED:
            return Outcome(note="already closed")
        if not apply_transition(
            order=order, to=S.CLOSED, cause=cause, stripe_event_id=stripe_event_id
        ):
            return Outcome(ignored=True, note=f"order is {order.status}")
        return Outcome()


def record_refund(
    *, order_id: int, amount_refunded: int, full: bool, charge_id: str, stripe_event_id: str = ""
) -> Outcome:
    """A full refund ends access; a partial one is recorded and access is kept."""
    with transaction.atomic():
        order = _lock(order_id)
        if charge_id and not order.charge_id:
            order.charge_id = charge_id
            order.save(update_fields=["charge_id", "updated_at"])
        refunded = min(amount_refunded, order.amount)
        if full:
            if order.status == S.REFUNDED:
                return Outcome(note="already refunded")
            order.refunded_amount = order.amount
            if not apply_transition(
                order=order, to=S.REFUNDED, cause="full refund", stripe_event_id=stripe_event_id
            ):
                return Outcome(ignored=True, note=f"order is {order.status}")
            _revoke(order, f"Order {order.number} refunded")
            return Outcome()
        if refunded > order.refunded_amount:
            order.refunded_amount = refunded
            order.save(update_fields=["refunded_amount", "updated_at"])
            record_note(
                order=order,
                cause=f"partial refund, {refunded} refunded in total; access kept",
                stripe_event_id=stripe_event_id,
            )
        return Outcome()


def open_dispute(*, order_id: int, stripe_event_id: str = "") -> Outcome:
    """Access is kept while a dispute is open: most are settled for the learner's bank
    without fraud, and a lost dispute revokes it. Support sees the state in the admin."""
    with transaction.atomic():
        order = _lock(order_id)
        if order.status == S.DISPUTED:
            return Outcome(note="already disputed")
        if not apply_transition(
            order=order, to=S.DISPUTED, cause="dispute opened", stripe_event_id=stripe_event_id
        ):
            return Outcome(ignored=True, note=f"order is {order.status}")
        return Outcome()


def close_dispute(*, order_id: int, won: bool, stripe_event_id: str = "") -> Outcome:
    with transaction.atomic():
        order = _lock(order_id)
        if won and order.status == S.PAID:
            return Outcome(note="already paid")
        if won:
            ok = apply_transition(
                order=order, to=S.PAID, cause="dispute won", stripe_event_id=stripe_event_id
            )
            return Outcome() if ok else Outcome(ignored=True, note=f"order is {order.status}")
        order.refunded_amount = order.amount
        if not apply_transition(
            order=order, to=S.REFUNDED, cause="dispute lost", stripe_event_id=stripe_event_id
        ):
            return Outcome(ignored=True, note=f"order is {order.status}")
        _revoke(order, f"Order {order.number}: dispute lost")
        return Outcome()


def request_refund(*, order: Order, actor: User) -> str:
    """Ask the provider to refund; its charge.refunded event then changes the order."""
    if order.status not in (S.PAID, S.DISPUTED):
        raise ValidationError(f"Order {order.number} is {order.get_status_display()}.")
    try:
        refund_id = get_gateway().refund(order=order)
    except GatewayError as exc:
        raise ValidationError(f"Refund of {order.number} failed: {exc}") from exc
    record_note(order=order, cause=f"refund {refund_id} requested", actor=actor)
    return refund_id


def reconcile_order(*, order_id: int) -> Order:
    """Ask the provider about a pending order whose events may have been lost."""
    order = Order.objects.get(pk=order_id)
    if order.status != S.PENDING:
        return order
    if not order.checkout_session_id:
        if timezone.now() - order.created_at > SESSION_LIFETIME:
            close_order(order_id=order.pk, cause="checkout never started")
        return Order.objects.get(pk=order_id)
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


def reconcile_pending_orders(*, older_than: timedelta = timedelta(minutes=30)) -> int:
    cutoff = timezone.now() - older_than
    ids = list(
        Order.objects.filter(status=S.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:200]
    )
    for order_id in ids:
        reconcile_order(order_id=order_id)
    return len(ids)


def send_receipt(*, order: Order) -> None:
    from core.emails import send_templated_email

    send_templated_email(
        to=[order.email],
        template="receipt",
        context={"order": order, "site_url": settings.SITE_URL},
    )


# --- Webhook events ------------------------------------------------------------------------


def store_event(*, event: dict) -> tuple[WebhookEvent, bool]:
    """Insert a verified event once; a duplicate (even a simultaneous one) is a no-op."""
    defaults = {
        "type": event["type"][:100],
        "payload": event,
        # The grace period lets the enqueued task run before the retry sweep looks at it.
        "next_attempt_at": timezone.now() + timedelta(minutes=2),
    }
    try:
        with transaction.atomic():
            return WebhookEvent.objects.get_or_create(
                stripe_event_id=event["id"][:255], defaults=defaults
            )
    except IntegrityError:
        return WebhookEvent.objects.get(stripe_event_id=event["id"][:255]), False


def _order_id_from(obj: dict) -> int | None:
    for value in (obj.get("client_reference_id"), (obj.get("metadata") or {}).get("order_id")):
        if value and str(value).isdigit():
            return int(value)
    return None


def _session_order(session: CheckoutSession, obj: dict) -> int | None:
    order_id = _order_id_from(obj)
    if order_id and Order.objects.filter(pk=order_id).exists():
        return order_id
    return Order.objects.filter(checkout_session_id=session.id).values_list("pk", flat=True).first()


def _charge_order(*, metadata: dict, payment_intent: str, charge: str) -> int | None:
    order_id = _order_id_from({"metadata": metadata})
    if order_id and Order.objects.filter(pk=order_id).exists():
        return order_id
    for field, value in (("payment_intent_id", payment_intent), ("charge_id", charge)):
        if value:
            pk = Order.objects.filter(**{field: value}).values_list("pk", flat=True).first()
            if pk:
                return pk
    return None


def _id(value) -> str:
    if isinstance(value, dict):
        return value.get("id", "")
    return value or ""


def _on_session(event: WebhookEvent) -> Outcome:
    obj = event.payload["data"]["object"]
    session = CheckoutSession.from_stripe(obj)
    order_id = _session_order(session, obj)
    if order_id is None:
        return Outcome(ignored=True, note="no order for this session")
    if event.type in ("checkout.session.expired", "checkout.session.async_payment_failed"):
        cause = "session expired" if event.type.endswith("expired") else "async payment failed"
        return close_order(order_id=order_id, cause=cause, stripe_event_id=event.stripe_event_id)
    if not session.is_paid:
        # Delayed methods (SEPA, bank transfer): async_payment_succeeded follows.
        return Outcome(note="awaiting asynchronous payment")
    return fulfil_order(
        order_id=order_id,
        session=session,
        cause=event.type,
        stripe_event_id=event.stripe_event_id,
    )


def _on_charge_refunded(event: WebhookEvent) -> Outcome:
    charge = event.payload["data"]["object"]
    order_id = _charge_order(
        metadata=charge.get("metadata") or {},
        payment_intent=_id(charge.get("payment_intent")),
        charge=charge.get("id", ""),
    )
    if order_id is None:
        raise EventNotMatched("No order matches this charge yet.")
    amount_refunded = int(charge.get("amount_refunded") or 0)
    full = bool(charge.get("refunded")) or amount_refunded >= int(charge.get("amount") or 0)
    return record_refund(
        order_id=order_id,
        amount_refunded=amount_refunded,
        full=full,
        charge_id=charge.get("id", ""),
        stripe_event_id=event.stripe_event_id,
    )


def _on_dispute(event: WebhookEvent) -> Outcome:
    dispute = event.payload["data"]["object"]
    order_id = _charge_order(
        metadata=dispute.get("metadata") or {},
        payment_intent=_id(dispute.get("payment_intent")),
        charge=_id(dispute.get("charge")),
    )
    if order_id is None:
        raise EventNotMatched("No order matches this dispute yet.")
    if event.type == "charge.dispute.created":
        return open_dispute(order_id=order_id, stripe_event_id=event.stripe_event_id)
    return close_dispute(
        order_id=order_id,
        won=dispute.get("status") != "lost",
        stripe_event_id=event.stripe_event_id,
    )


HANDLERS = {
    "checkout.session.completed": _on_session,
    "checkout.session.async_payment_succeeded": _on_session,
    "checkout.session.async_payment_failed": _on_session,
    "checkout.session.expired": _on_session,
    "charge.refunded": _on_charge_refunded,
    "charge.dispute.created": _on_dispute,
    "charge.dispute.closed": _on_dispute,
}


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at 6 hours."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), timedelta(hours=6))


def process_event(*, event_pk: int) -> WebhookEvent | None:
    """Apply one stored event; on failure keep it unprocessed with the error and a retry time."""
    if not WebhookEvent.objects.filter(pk=event_pk).exists():
        logger.error("Webhook event not found", extra={"event_pk": event_pk})
        return None
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
            if event.status in (WebhookEvent.Status.PROCESSED, WebhookEvent.Status.IGNORED):
                return event
            event.attempts += 1
            handler = HANDLERS.get(event.type)
            outcome = handler(event) if handler else Outcome(ignored=True, note="unhandled type")
            event.status = (
                WebhookEvent.Status.IGNORED if outcome.ignored else WebhookEvent.Status.PROCESSED
            )
            event.last_error = outcome.note if outcome.ignored else ""
            event.processed_at = timezone.now()
            event.next_attempt_at = None
            event.save()
            return event
    except Exception as exc:
        logger.exception("Webhook event failed", extra={"event_pk": event_pk})
        with transaction.atomic():
            event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
            event.attempts += 1
            event.status = WebhookEvent.Status.FAILED
            event.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            event.next_attempt_at = timezone.now() + backoff(event.attempts)
            event.save()
            return event


def due_events(*, include_exhausted: bool = False):
    events = WebhookEvent.objects.filter(
        status__in=[WebhookEvent.Status.RECEIVED, WebhookEvent.Status.FAILED]
    )
    if include_exhausted:
        return events.order_by("received_at")
    return events.filter(next_attempt_at__lte=timezone.now(), attempts__lt=MAX_ATTEMPTS).order_by(
        "received_at"
    )


def retry_unprocessed_events(*, include_exhausted: bool = False, limit: int = 500) -> int:
    """Process events whose task never ran or failed; received order keeps causality."""
    pks = list(due_events(include_exhausted=include_exhausted).values_list("pk", flat=True)[:limit])
    for pk in pks:
        process_event(event_pk=pk)
    return len(pks)
