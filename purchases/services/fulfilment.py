"""Paid means enrolled, exactly once, whichever path (return, event, reconciliation) gets there.

Each function locks the order row, applies one allowed transition and is idempotent.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.emails import send_templated_email
from core.tasks import enqueue
from learning.models import Enrollment
from purchases.gateways import CheckoutSession
from purchases.models import Order
from purchases.services.invoices import issue_invoice
from purchases.services.transitions import (
    Outcome,
    apply_transition,
    grant_access,
    lock_order,
    record_note,
)

logger = logging.getLogger(__name__)

# By name: purchases.tasks imports this module (core.tasks.enqueue).
SEND_RECEIPT = "purchases.tasks.send_receipt"

S = Order.Status


def _amount_matches(order: Order, session: CheckoutSession) -> bool:
    # Promotion codes lower amount_total; the order's price is the subtotal before discounts
    # and before tax added on top (exclusive prices), which Stripe reports as amount_tax.
    price = session.amount_subtotal
    if price is None:
        price = (session.amount_total or 0) - (
            0 if order.prices_include_tax else session.amount_tax
        )
    if price != order.amount or session.currency.upper() != order.currency.upper():
        return False
    # Never more than the price plus the tax added to it, whatever the subtotal says.
    ceiling = order.amount + (0 if order.prices_include_tax else session.amount_tax)
    return session.amount_total is None or session.amount_tax <= session.amount_total <= ceiling


def _record_charge(order: Order, session: CheckoutSession) -> list[str]:
    """What the provider charged: the total, its tax and who was billed. Set once."""
    if order.amount_paid is not None or session.amount_total is None:
        return []
    order.amount_paid = session.amount_total
    order.tax_amount = session.amount_tax
    order.tax_rate = session.tax_rate
    order.billing_details = session.customer_details
    return ["amount_paid", "tax_amount", "tax_rate", "billing_details"]


def fulfil_order(
    *, order_id: int, session: CheckoutSession, cause: str, stripe_event_id: str = ""
) -> Outcome:
    """Mark the order paid and enrol the learner if the session is really paid. Idempotent."""
    with transaction.atomic():
        order = lock_order(order_id)
        if not session.is_paid:
            return Outcome(note="session not paid yet")
        if not _amount_matches(order, session):
            return _hold_for_review(order, session, stripe_event_id)
        changed = []
        if not order.checkout_session_id:
            order.checkout_session_id = session.id
            changed.append("checkout_session_id")
        if session.payment_intent and not order.payment_intent_id:
            order.payment_intent_id = session.payment_intent
            changed.append("payment_intent_id")
        changed += _record_charge(order, session)
        if changed:
            order.save(update_fields=[*changed, "updated_at"])
        if order.status == S.PAID:
            return Outcome(note="already paid")
        if not apply_transition(
            order=order, to=S.PAID, cause=cause, stripe_event_id=stripe_event_id
        ):
            return Outcome(ignored=True, note=f"order is {order.status}: payment recorded only")
        # In the transaction that marks the order paid: a rollback takes back its number.
        issue_invoice(order=order)
        if order.user_id:
            _note_if_already_enrolled(order, stripe_event_id)
            grant_access(order)
        # The payment is committed: a broker outage costs the email (logged), never the
        # learner's page.
        transaction.on_commit(partial(enqueue, SEND_RECEIPT, order.pk))
        return Outcome()


def _hold_for_review(order: Order, session: CheckoutSession, stripe_event_id: str) -> Outcome:
    """Paid, but not what the order says: staff accept or refund it (admin actions). A state
    of its own, so the reconciler stops asking and "Buy" does not reuse the order."""
    if order.status == S.NEEDS_REVIEW:
        return Outcome(note="already under review")
    got = f"{session.amount_subtotal}/{session.amount_total} {session.currency}"
    logger.error(
        "Payment does not match its order",
        extra={"order": order.number, "expected": f"{order.amount} {order.currency}", "got": got},
    )
    # Kept so that the payment can be refunded through the provider.
    if session.payment_intent and not order.payment_intent_id:
        order.payment_intent_id = session.payment_intent
    _record_charge(order, session)
    if not apply_transition(
        order=order,
        to=S.NEEDS_REVIEW,
        cause=f"payment of {got} does not match the order: held for review",
        stripe_event_id=stripe_event_id,
    ):
        return Outcome(ignored=True, note="amount or currency does not match the order")
    return Outcome(note="amount or currency does not match the order: held for review")


def accept_payment(*, order_id: int, actor: User) -> Order:
    """Staff accept a payment held for review: the order is paid and the learner enrolled."""
    with transaction.atomic():
        order = lock_order(order_id)
        if order.status != S.NEEDS_REVIEW:
            raise ValidationError(f"Order {order.number} is {order.get_status_display()}.")
        apply_transition(
            order=order,
            to=S.PAID,
            cause=f"payment accepted after review by {actor.email}",
            actor=actor,
        )
        issue_invoice(order=order)
        grant_access(order)
        transaction.on_commit(partial(enqueue, SEND_RECEIPT, order.pk))
        return order


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


def close_order(
    *, order_id: int, cause: str, stripe_event_id: str = "", actor: User | None = None
) -> Outcome:
    with transaction.atomic():
        order = lock_order(order_id)
        if order.status == S.CLOSED:
            return Outcome(note="already closed")
        if not apply_transition(
            order=order, to=S.CLOSED, cause=cause, stripe_event_id=stripe_event_id, actor=actor
        ):
            return Outcome(ignored=True, note=f"order is {order.status}")
        return Outcome()


def send_receipt(*, order: Order) -> None:
    send_templated_email(
        to=[order.email],
        template="receipt",
        context={"order": order, "site_url": settings.SITE_URL},
    )
