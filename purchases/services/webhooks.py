"""The provider's events: stored once, processed by a task, retried with backoff until done."""

import logging
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.tasks import enqueue
from purchases.gateways import CheckoutSession, ProviderRefund, get_gateway, livemode
from purchases.models import Order, Refund, WebhookEvent
from purchases.services.disputes import close_dispute, note_dispute, open_dispute
from purchases.services.fulfilment import close_order, fulfil_order
from purchases.services.refunds import apply_refund_update
from purchases.services.transitions import Outcome

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12


class EventNotMatched(Exception):
    """The event's order cannot be found yet (e.g. a refund before the completion): retry."""


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


def receive_event(*, event: dict) -> tuple[WebhookEvent, bool]:
    """A verified event, from Stripe's webhook or the local gateway: stored once, then processed
    by a task. Returns the row and whether this delivery stored it."""
    stored, created = store_event(event=event)
    if created or stored.status == WebhookEvent.Status.FAILED:
        # With the broker down the row is stored and the sweep processes it, so the sender still
        # gets its 200: an error would make Stripe retry and in the end disable the endpoint.
        # By name: purchases.tasks imports this module.
        transaction.on_commit(partial(enqueue, "purchases.tasks.process_webhook_event", stored.pk))
    return stored, created


def _order_id_from(obj: dict) -> int | None:
    for value in (obj.get("client_reference_id"), (obj.get("metadata") or {}).get("order_id")):
        if value and str(value).isdigit():
            return int(value)
    return None


def _named_order(obj: dict, *, session_id: str = "") -> int | None:
    """The order the object names by id, if it really is ours.

    An id is a small integer that another site sharing the Stripe account also uses; the
    order number (random) and the session id must agree with ours when the object has them.
    """
    order_id = _order_id_from(obj)
    if not order_id:
        return None
    order = Order.objects.filter(pk=order_id).values("number", "checkout_session_id").first()
    if order is None:
        return None
    number = (obj.get("metadata") or {}).get("order_number")
    if number and number != order["number"]:
        return None
    if session_id and order["checkout_session_id"] not in (None, session_id):
        return None
    return order_id


def _session_order(session: CheckoutSession, obj: dict) -> int | None:
    order_id = _named_order(obj, session_id=session.id)
    if order_id:
        return order_id
    return Order.objects.filter(checkout_session_id=session.id).values_list("pk", flat=True).first()


def _charge_order(*, metadata: dict, payment_intent: str, charge: str) -> int | None:
    order_id = _named_order({"metadata": metadata})
    if order_id:
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
    for refund in _refunds_of(charge):
        apply_refund_update(
            order_id=order_id,
            refund=refund,
            charge_id=charge.get("id", ""),
            stripe_event_id=event.stripe_event_id,
        )
    return Outcome()


def _refunds_of(charge: dict) -> list[ProviderRefund]:
    listing = charge.get("refunds")
    if isinstance(listing, dict) and not listing.get("has_more"):
        return [ProviderRefund.from_stripe(r) for r in listing.get("data") or []]
    # Since API version 2022-11-15 a charge no longer embeds its refunds: ask for them (a
    # provider that cannot be reached fails the event, which is retried).
    return get_gateway().list_refunds(charge_id=charge.get("id", ""))


def _on_refund(event: WebhookEvent) -> Outcome:
    """refund.updated, refund.failed, charge.refund.updated: the object is the refund."""
    refund = ProviderRefund.from_stripe(event.payload["data"]["object"])
    order_id = Refund.objects.filter(stripe_refund_id=refund.id).values_list(
        "order_id", flat=True
    ).first() or _charge_order(
        metadata=refund.metadata, payment_intent=refund.payment_intent, charge=refund.charge
    )
    if order_id is None:
        raise EventNotMatched("No order matches this refund yet.")
    return apply_refund_update(
        order_id=order_id,
        refund=refund,
        charge_id=refund.charge,
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
    if event.type in DISPUTE_FUNDS:
        return note_dispute(
            order_id=order_id, what=DISPUTE_FUNDS[event.type], stripe_event_id=event.stripe_event_id
        )
    return close_dispute(
        order_id=order_id,
        won=dispute.get("status") != "lost",
        stripe_event_id=event.stripe_event_id,
    )


DISPUTE_FUNDS = {
    "charge.dispute.funds_withdrawn": "funds withdrawn",
    "charge.dispute.funds_reinstated": "funds reinstated",
}

HANDLERS = {
    "checkout.session.completed": _on_session,
    "checkout.session.async_payment_succeeded": _on_session,
    "checkout.session.async_payment_failed": _on_session,
    "checkout.session.expired": _on_session,
    "charge.refunded": _on_charge_refunded,
    "charge.refund.updated": _on_refund,
    "refund.updated": _on_refund,
    "refund.failed": _on_refund,
    "charge.dispute.created": _on_dispute,
    "charge.dispute.closed": _on_dispute,
    "charge.dispute.funds_withdrawn": _on_dispute,
    "charge.dispute.funds_reinstated": _on_dispute,
}


def _handle(event: WebhookEvent) -> Outcome:
    handler = HANDLERS.get(event.type)
    return handler(event) if handler else Outcome(ignored=True, note="unhandled type")


def _mode_mismatch(event: WebhookEvent) -> Outcome | None:
    """A test event reaching live keys (or the reverse) is never applied: test payments are
    not money, and a live payment must not change orders of a test set-up."""
    theirs = bool(event.payload.get("livemode"))
    if theirs == livemode():
        return None
    ours = "live" if livemode() else "test"
    logger.warning("Event from the other mode", extra={"event": event.stripe_event_id})
    return Outcome(
        ignored=True,
        note=f"{'live' if theirs else 'test'} mode event, but this site uses {ours} keys: "
        "stored, not applied",
    )


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
            outcome = _mode_mismatch(event) or _handle(event)
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
