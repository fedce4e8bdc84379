"""Money going back: the admin's refund request, and the provider's refunds as they settle.

Each provider refund is one Refund row keyed by its id. Only succeeded refunds count: the
order's refunded_amount is their sum, so a refund that fails or is cancelled later (even
after it succeeded) gives the money, the status and the access back.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from accounts.models import User
from core.emails import send_templated_email
from core.tasks import enqueue
from core.templatetags.markup import money
from purchases.gateways import GatewayError, ProviderRefund, get_gateway
from purchases.models import Order, Refund
from purchases.services.invoices import issue_credit_note
from purchases.services.transitions import (
    Outcome,
    apply_transition,
    grant_access,
    lock_order,
    record_note,
    revoke_access,
)

logger = logging.getLogger(__name__)

S = Order.Status
R = Refund.Status
# Failed and canceled are final at Stripe: an older event must not bring such a refund back.
FINAL = {R.FAILED, R.CANCELED}
REFUNDABLE = (S.PAID, S.DISPUTED, S.NEEDS_REVIEW)
FULL_REFUND = "full refund"


def charged(order: Order) -> int:
    """What the provider took: the price (plus tax added on top), less any promotion code."""
    ceiling = order.price_with_tax
    return ceiling if order.amount_paid is None else min(order.amount_paid, ceiling)


def _total(order: Order, *, exclude: set[str] = frozenset(), only: str = "") -> int:
    refunds = order.refunds.exclude(status__in=exclude)
    if only:
        refunds = refunds.filter(status=only)
    return refunds.aggregate(total=Sum("amount"))["total"] or 0


def refundable(order: Order) -> int:
    """What is left to refund: charged less refunds that succeeded or are still under way."""
    return max(charged(order) - _total(order, exclude=FINAL), 0)


def request_refund(*, order: Order, actor: User, amount: int | None = None) -> Refund:
    """Refund `amount` cents (default: all that is left) through the provider, and apply its
    answer at once; the provider's events later confirm it or report that it failed."""
    with transaction.atomic():
        # Held during the provider call: this refund's own event waits for the row we write.
        order = lock_order(order.pk)
        if order.status not in REFUNDABLE:
            raise ValidationError(f"Order {order.number} is {order.get_status_display()}.")
        left = refundable(order)
        amount = left if amount is None else amount
        if left <= 0:
            raise ValidationError(f"Nothing is left to refund on {order.number}.")
        if amount <= 0:
            raise ValidationError("Enter an amount greater than zero.")
        if amount > left:
            raise ValidationError(
                f"At most {money(left, order.currency)} is left to refund on {order.number}."
            )
        # Derived from what was refunded so far: a double submit of the same form repeats
        # the same request, which the provider answers with the same refund.
        key = f"refund-{order.pk}-{charged(order) - left}-{amount}"
        try:
            answer = get_gateway().refund(order=order, amount=amount, idempotency_key=key)
        except GatewayError as exc:
            raise ValidationError(f"Refund of {order.number} failed: {exc}") from exc
        record_note(
            order=order,
            cause=f"refund {answer.id} of {money(amount, order.currency)} requested",
            actor=actor,
        )
        apply_refund_update(order_id=order.pk, refund=answer, actor=actor)
        return Refund.objects.get(stripe_refund_id=answer.id)


def _may_move(before: str, after: str) -> bool:
    if before == after or before in FINAL:
        return False
    if before == R.SUCCEEDED:
        return after in FINAL
    return True


def apply_refund_update(
    *,
    order_id: int,
    refund: ProviderRefund,
    charge_id: str = "",
    stripe_event_id: str = "",
    actor: User | None = None,
) -> Outcome:
    """Record what the provider says about one refund, and settle the order. Idempotent."""
    status = refund.status if refund.status in R.values else R.PENDING
    with transaction.atomic():
        order = lock_order(order_id)
        if charge_id and not order.charge_id:
            order.charge_id = charge_id
            order.save(update_fields=["charge_id", "updated_at"])
        row = Refund.objects.select_for_update().filter(stripe_refund_id=refund.id).first()
        before = ""
        if row is None:
            row = Refund.objects.create(
                order=order,
                stripe_refund_id=refund.id,
                amount=refund.amount,
                status=status,
                failure_reason=refund.failure_reason[:100],
                created_by=actor,
            )
        elif row.order_id != order.pk:
            return Outcome(ignored=True, note="this refund belongs to another order")
        elif not _may_move(row.status, status):
            return Outcome(note=f"refund {refund.id} already {row.status}")
        else:
            before = row.status
            row.status, row.amount = status, refund.amount
            row.failure_reason = refund.failure_reason[:100]
            row.save(update_fields=["status", "amount", "failure_reason", "updated_at"])
        return _settle(order, row, before=before, stripe_event_id=stripe_event_id)


def _settle(order: Order, row: Refund, *, before: str, stripe_event_id: str) -> Outcome:
    succeeded = _total(order, only=R.SUCCEEDED)
    order.refunded_amount = min(succeeded, order.price_with_tax)
    what = f"refund {row.stripe_refund_id} of {money(row.amount, order.currency)}"
    if row.status == R.SUCCEEDED:
        issue_credit_note(refund=row)
        order.refresh_from_db(fields=["refunded_tax"])
        _email_learner(row)
        if succeeded >= charged(order) and order.status != S.REFUNDED:
            had_access = order.status in (S.PAID, S.DISPUTED)
            if apply_transition(
                order=order,
                to=S.REFUNDED,
                cause=f"{FULL_REFUND} ({what})",
                stripe_event_id=stripe_event_id,
            ):
                # An order under review never gave access: another order may have.
                if had_access:
                    revoke_access(order, f"Order {order.number} refunded")
                return Outcome()
            return Outcome(ignored=True, note=f"order is {order.status}")
        order.save(update_fields=["refunded_amount", "updated_at"])
        if order.status != S.REFUNDED:
            record_note(
                order=order,
                cause=f"partial {what}, {money(succeeded, order.currency)} refunded in total; "
                "access kept",
                stripe_event_id=stripe_event_id,
            )
        return Outcome()
    if row.status in FINAL:
        order.save(update_fields=["refunded_amount", "updated_at"])
        if before == R.SUCCEEDED and order.status == S.REFUNDED:
            _undo_refund(order, what=f"{what} {row.status}", stripe_event_id=stripe_event_id)
        else:
            record_note(
                order=order,
                cause=f"{what} {row.status}: nothing refunded",
                stripe_event_id=stripe_event_id,
            )
        _email_staff(order, row)
        return Outcome()
    record_note(order=order, cause=f"{what} is {row.status}", stripe_event_id=stripe_event_id)
    return Outcome()


def _undo_refund(order: Order, *, what: str, stripe_event_id: str) -> None:
    """The merchant kept the money after all: back to where the order was, access included.

    Only an order refunded by refunds is put back; one refunded by a lost dispute stays.
    """
    last = order.events.filter(to_status=S.REFUNDED).order_by("-id").first()
    if last is None or not last.cause.startswith(FULL_REFUND):
        record_note(order=order, cause=f"{what}; order stays refunded", stripe_event_id="")
        return
    back_to = last.from_status if last.from_status in REFUNDABLE else S.PAID
    if not apply_transition(
        order=order,
        to=back_to,
        cause=f"{what}: refund undone",
        stripe_event_id=stripe_event_id,
        reversing_refund=True,
    ):
        return
    if back_to in (S.PAID, S.DISPUTED):
        grant_access(order)


def _email_learner(row: Refund) -> None:
    # By name: purchases.tasks imports this module (core.tasks.enqueue).
    transaction.on_commit(partial(enqueue, "purchases.tasks.send_refund_notice", row.pk))


def send_refund_notice(*, refund: Refund) -> None:
    order = refund.order
    send_templated_email(
        to=[order.email],
        template="refund",
        context={
            "order": order,
            "refund": refund,
            "full": order.status == S.REFUNDED,
            "site_url": settings.SITE_URL,
        },
    )


def _email_staff(order: Order, row: Refund) -> None:
    """Support must know: the learner was told of a refund that did not happen."""
    staff = list(
        User.objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    logger.warning(
        "Refund did not go through",
        extra={"order": order.number, "refund": row.stripe_refund_id, "status": row.status},
    )
    if staff:
        send_templated_email(
            to=staff,
            template="refund_failed",
            context={"order": order, "refund": row, "site_url": settings.SITE_URL},
        )
