"""The one table that says how an order may move, and the audit row for every move.

Callers hold the order row lock (lock_order) for the whole transaction that changes it.
"""

import logging
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from learning.models import Enrollment
from learning.services import enroll, revoke_enrollment
from purchases.models import Order, OrderEvent
from ratings.services import on_access_changed

logger = logging.getLogger(__name__)

S = Order.Status

# The one place that says how an order may move. Anything else is refused and logged.
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.PAID, S.CLOSED, S.REFUNDED, S.NEEDS_REVIEW},
    S.PAID: {S.REFUNDED, S.DISPUTED},
    # A payment that completes after the checkout expired is still honoured.
    S.CLOSED: {S.PAID, S.REFUNDED, S.NEEDS_REVIEW},
    S.DISPUTED: {S.PAID, S.REFUNDED},
    S.REFUNDED: set(),
    # A payment that does not match its order: staff accept it or refund it.
    S.NEEDS_REVIEW: {S.PAID, S.REFUNDED},
}

# A refund that fails or is cancelled after it succeeded puts the order back where it was.
# Kept apart from TRANSITIONS so that nothing else (a late completion) can leave `refunded`.
REFUND_REVERSALS: dict[str, set[str]] = {
    S.REFUNDED: {S.PAID, S.DISPUTED, S.NEEDS_REVIEW},
}


@dataclass(frozen=True)
class Outcome:
    """What processing did, for the event log: processed, or ignored with a reason."""

    ignored: bool = False
    note: str = ""


def apply_transition(
    *,
    order: Order,
    to: str,
    cause: str,
    stripe_event_id: str = "",
    actor: User | None = None,
    reversing_refund: bool = False,
) -> bool:
    """Move a locked order to `to` if the table allows it; record why. Never raises."""
    allowed = TRANSITIONS[order.status]
    if reversing_refund:
        allowed = allowed | REFUND_REVERSALS.get(order.status, set())
    if to not in allowed:
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


def lock_order(order_id: int) -> Order:
    """The order row, locked until the current transaction ends."""
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("course", "user")
        .get(pk=order_id)
    )


def grant_access(order: Order) -> None:
    """The buyer may study the course (again); their rating counts in the average again."""
    if order.user_id:
        enroll(user=order.user, course=order.course, source=Enrollment.Source.PURCHASE)
        on_access_changed(user=order.user, course=order.course)


def revoke_access(order: Order, reason: str) -> None:
    """The buyer's access ends (refund, lost dispute); their rating leaves the average."""
    if order.user_id:
        revoke_enrollment(user=order.user, course=order.course, reason=reason)
        on_access_changed(user=order.user, course=order.course)
