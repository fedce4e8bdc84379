"""Disputes (chargebacks): opened, funds moved, won or lost."""

from django.db import transaction

from purchases.models import Order
from purchases.services.refunds import charged
from purchases.services.transitions import (
    Outcome,
    apply_transition,
    lock_order,
    record_note,
    revoke_access,
)

S = Order.Status


def open_dispute(*, order_id: int, stripe_event_id: str = "") -> Outcome:
    """Access is kept while a dispute is open: most are settled for the learner's bank
    without fraud, and a lost dispute revokes it. Support sees the state in the admin."""
    with transaction.atomic():
        order = lock_order(order_id)
        if order.status == S.DISPUTED:
            return Outcome(note="already disputed")
        if not apply_transition(
            order=order, to=S.DISPUTED, cause="dispute opened", stripe_event_id=stripe_event_id
        ):
            return Outcome(ignored=True, note=f"order is {order.status}")
        return Outcome()


def close_dispute(*, order_id: int, won: bool, stripe_event_id: str = "") -> Outcome:
    with transaction.atomic():
        order = lock_order(order_id)
        if won and order.status == S.PAID:
            return Outcome(note="already paid")
        if won:
            ok = apply_transition(
                order=order, to=S.PAID, cause="dispute won", stripe_event_id=stripe_event_id
            )
            return Outcome() if ok else Outcome(ignored=True, note=f"order is {order.status}")
        order.refunded_amount = charged(order)
        if not apply_transition(
            order=order, to=S.REFUNDED, cause="dispute lost", stripe_event_id=stripe_event_id
        ):
            return Outcome(ignored=True, note=f"order is {order.status}")
        revoke_access(order, f"Order {order.number}: dispute lost")
        return Outcome()


def note_dispute(*, order_id: int, what: str, stripe_event_id: str = "") -> Outcome:
    """Funds withdrawn or reinstated during a dispute: no status change, but support sees it."""
    with transaction.atomic():
        order = lock_order(order_id)
        record_note(order=order, cause=f"dispute: {what}", stripe_event_id=stripe_event_id)
        return Outcome()
