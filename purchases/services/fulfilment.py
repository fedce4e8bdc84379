"""Paid means enrolled, exactly once, whichever path (return, event, reconciliation) gets there.

Each function locks the order row, applies one allowed transition and is idempotent.
"""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction

from core.emails import send_templated_email
from core.tasks import enqueue
from learning.models import Enrollment
from learning.services import enroll
from purchases.gateways import CheckoutSession
from purchases.models import Order
from purchases.services.transitions import Outcome, apply_transition, lock_order, record_note
from ratings.services import on_access_changed

logger = logging.getLogger(__name__)

S = Order.Status


def _amount_matches(order: Order, session: CheckoutSession) -> bool:
    # Promotion codes lower amount_total; the order's price is the subtotal before discounts.
    price = session.amount_subtotal if session.amount_subtotal is not None else session.amount_total
    return price == order.amount and session.currency.upper() == order.currency.upper()


def fulfil_order(
    *, order_id: int, session: CheckoutSession, cause: str, stripe_event_id: str = ""
) -> Outcome:
    """Mark the order paid and enrol the learner if the session is really paid. Idempotent."""
    with transaction.atomic():
        order = lock_order(order_id)
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
            _note_if_already_enrolled(order, stripe_event_id)
            enroll(user=order.user, course=order.course, source=Enrollment.Source.PURCHASE)
            on_access_changed(user=order.user, course=order.course)
        # Imported here: purchases.tasks imports the services that import this module.
        from purchases.tasks import send_receipt

        # The payment is committed: a broker outage costs the email (logged), never the
        # learner's page.
        transaction.on_commit(partial(enqueue, send_receipt, order.pk))
        return Outcome()


def _note_if_already_enrolled(order: Order, stripe_event_id: str) -> None:
    """A payment is never dropped, but paying twice for one course is worth a look by support
    (e.g. a session that expired here but was paid at the provider, after a second order)."""
    if not Enrollment.objects.filter(
        user_id=order.user_id, course_id=order.course_id, revoked_at__isnull=True
    ).exists():
        return
    other = (
        Order.objects.filter(
            user_id=order.user_id, course_id=order.course_id, status__in=[S.PAID, S.DISPUTED]
        )
        .exclude(pk=order.pk)
        .values_list("number", flat=True)
        .first()
    )
    through = f"order {other}" if other else "another enrollment"
    logger.warning("Paid for a course already owned", extra={"order": order.number})
    record_note(
        order=order,
        cause=f"learner already had access through {through}: a refund may be due",
        stripe_event_id=stripe_event_id,
    )


def close_order(*, order_id: int, cause: str, stripe_event_id: str = "") -> Outcome:
    with transaction.atomic():
        order = lock_order(order_id)
        if order.status == S.CLOSED:
            return Outcome(note="already closed")
        if not apply_transition(
            order=order, to=S.CLOSED, cause=cause, stripe_event_id=stripe_event_id
        ):
            return Outcome(ignored=True, note=f"order is {order.status}")
        return Outcome()


def send_receipt(*, order: Order) -> None:
    send_templated_email(
        to=[order.email],
        template="receipt",
        context={"order": order, "site_url": settings.SITE_URL},
    )
