"""Money going back: the admin's refund request, and the provider's refunds and disputes."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from purchases.gateways import GatewayError, get_gateway
from purchases.models import Order
from purchases.services.transitions import (
    Outcome,
    apply_transition,
    lock_order,
    record_note,
    revoke_access,
)

S = Order.Status


def _charged(order: Order) -> int:
    """What the provider took: the price, less any promotion code (never more than the price)."""
    return order.amount if order.amount_paid is None else min(order.amount_paid, order.amount)


def request_refund(*, order: Order, actor: User) -> str:
    """Ask the provider to refund; its charge.refunded event then changes the order."""
    if order.status not in (S.PAID, S.DISPUTED):
        raise ValidationError(f"Order {order.number} is {order.get_status_display()}.")
    # One transaction, so that the note is written before the provider's answer is processed
    # (the local gateway answers at once; its event is handled after this commit).
    with transaction.atomic():
        try:
            refund_id = get_gateway().refund(order=order)
        except GatewayError as exc:
            raise ValidationError(f"Refund of {order.number} failed: {exc}") from exc
        record_note(order=order, cause=f"refund {refund_id} requested", actor=actor)
    return refund_id


def record_refund(
    *, order_id: int, amount_refunded: int, full: bool, charge_id: str, stripe_event_id: str = ""
) -> Outcome:
    """A full refund ends access; a partial one is recorded and access is kept."""
    with transaction.atomic():
        order = lock_order(order_id)
        if charge_id and not order.charge_id:
            order.charge_id = charge_id
            order.save(update_fields=["charge_id", "updated_at"])
        refunded = min(amount_refunded, order.amount)
        if full:
            if order.status == S.REFUNDED:
                return Outcome(note="already refunded")
            order.refunded_amount = _charged(order)
            if not apply_transition(
                order=order, to=S.REFUNDED, cause="full refund", stripe_event_id=stripe_event_id
            ):
                return Outcome(ignored=True, note=f"order is {order.status}")
            revoke_access(order, f"Order {order.number} refunded")
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
        order.refunded_amount = _charged(order)
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
