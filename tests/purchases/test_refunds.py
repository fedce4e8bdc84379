"""Refunds counted per provider refund: only succeeded ones count, and a refund that fails or
is cancelled later gives the money, the status and the access back."""

import pytest

from learning.models import Enrollment
from purchases.models import Order, OrderEvent, Refund, WebhookEvent
from tests.factories import UserFactory
from tests.purchases.factories import (
    OrderFactory,
    charge_object,
    dispute_object,
    event,
    refund_object,
    session_object,
)

pytestmark = pytest.mark.django_db

COMPLETED = "checkout.session.completed"


def has_access(order) -> bool:
    return Enrollment.objects.filter(
        user=order.user, course=order.course, revoked_at__isnull=True
    ).exists()


@pytest.fixture
def paid(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))
    return order


def test_a_full_refund_that_fails_later_restores_the_paid_order_and_access(paid, deliver):
    deliver(event("charge.refunded", charge_object(paid)))
    assert Order.objects.get(pk=paid.pk).status == "refunded"

    failed = refund_object(paid, status="failed", failure_reason="expired_or_canceled_card")
    response = deliver(event("refund.failed", failed))

    assert response.status_code == 200
    order = Order.objects.get(pk=paid.pk)
    assert (order.status, order.refunded_amount) == ("paid", 0)
    assert has_access(order)
    undone = OrderEvent.objects.filter(order=order).last()
    assert (undone.from_status, undone.to_status) == ("refunded", "paid")
    assert "failed" in undone.cause
    assert Refund.objects.get().failure_reason == "expired_or_canceled_card"


def test_a_refund_cancelled_through_charge_refund_updated_restores_access(paid, deliver):
    deliver(event("charge.refunded", charge_object(paid)))

    deliver(event("charge.refund.updated", refund_object(paid, status="canceled")))

    order = Order.objects.get(pk=paid.pk)
    assert order.status == "paid"
    assert has_access(order)


def test_a_refund_updated_to_failed_is_matched_by_its_refund_id_alone(paid, deliver):
    deliver(event("charge.refunded", charge_object(paid)))
    # Stripe's refund object carries no metadata unless it was set: the id is enough.
    failed = refund_object(paid, status="failed", charge="ch_other", payment_intent=None)

    deliver(event("refund.updated", failed))

    assert Order.objects.get(pk=paid.pk).status == "paid"


def test_a_failed_partial_refund_takes_its_amount_back_off_the_order(paid, deliver):
    first = refund_object(paid, id="re_3TestFirst", amount=900)
    second = refund_object(paid, id="re_3TestSecond", amount=1000)
    deliver(
        event(
            "charge.refunded",
            charge_object(paid, amount_refunded=1900, refunded=False, refunds=[second, first]),
        )
    )

    deliver(event("refund.failed", {**second, "status": "failed"}))

    order = Order.objects.get(pk=paid.pk)
    assert (order.status, order.refunded_amount) == ("paid", 900)
    assert has_access(order)


def test_an_older_snapshot_does_not_bring_a_failed_refund_back(paid, deliver):
    charge = charge_object(paid)
    deliver(event("refund.failed", refund_object(paid, status="failed")))

    # charge.refunded was sent first but arrives last, still showing the refund succeeded.
    deliver(event("charge.refunded", charge))

    order = Order.objects.get(pk=paid.pk)
    assert (order.status, order.refunded_amount) == ("paid", 0)
    assert has_access(order)


def test_a_pending_refund_counts_only_once_it_succeeds(paid, deliver):
    pending = refund_object(paid, status="pending")
    deliver(event("charge.refunded", charge_object(paid, refunds=[pending])))
    assert Order.objects.get(pk=paid.pk).status == "paid"
    assert has_access(paid)

    deliver(event("refund.updated", {**pending, "status": "succeeded"}))

    order = Order.objects.get(pk=paid.pk)
    assert (order.status, order.refunded_amount) == ("refunded", order.amount)
    assert not has_access(order)


def test_the_same_refund_delivered_by_two_events_counts_once(paid, deliver):
    first = refund_object(paid, id="re_3TestOnce", amount=900)
    deliver(
        event(
            "charge.refunded",
            charge_object(paid, amount_refunded=900, refunded=False, refunds=[first]),
        )
    )

    deliver(event("refund.updated", first))

    assert Order.objects.get(pk=paid.pk).refunded_amount == 900


def test_a_failed_refund_tells_staff_by_email(paid, deliver, staff, mailoutbox):
    deliver(event("charge.refunded", charge_object(paid)))
    mailoutbox.clear()

    deliver(event("refund.failed", refund_object(paid, status="failed")))

    [mail] = mailoutbox
    assert mail.to == [staff.email]
    assert paid.number in mail.subject
    assert "failed" in mail.subject
    assert "did not go through" in mail.body


def test_a_refund_that_fails_before_it_succeeds_changes_nothing_but_is_recorded(
    paid, deliver, staff, mailoutbox
):
    deliver(event("refund.failed", refund_object(paid, status="failed")))

    order = Order.objects.get(pk=paid.pk)
    assert (order.status, order.refunded_amount) == ("paid", 0)
    assert has_access(order)
    assert "nothing refunded" in OrderEvent.objects.filter(order=order).last().cause
    assert [m.to for m in mailoutbox if "failed" in m.subject] == [[staff.email]]


def test_a_failed_refund_does_not_undo_a_lost_dispute(paid, deliver):
    deliver(event("charge.dispute.created", dispute_object(paid)))
    deliver(event("charge.dispute.closed", dispute_object(paid, status="lost")))
    Refund.objects.create(
        order=paid, stripe_refund_id="re_3TestOld", amount=100, status="succeeded"
    )

    deliver(
        event("refund.failed", refund_object(paid, id="re_3TestOld", amount=100, status="failed"))
    )

    order = Order.objects.get(pk=paid.pk)
    assert order.status == "refunded"
    assert not has_access(order)


def test_a_refund_event_for_an_unknown_charge_is_retried_later(deliver):
    stranger = OrderFactory.build(pk=99999, amount=4900, currency="EUR")

    deliver(event("refund.failed", refund_object(stranger, status="failed")))

    assert WebhookEvent.objects.get().status == "failed"


def test_a_charge_without_embedded_refunds_asks_stripe_for_them(paid, deliver, stripe_api):
    charge = charge_object(paid)
    del charge["refunds"]  # API versions since 2022-11-15 no longer embed them
    stripe_api.refunds.append(refund_object(paid))

    deliver(event("charge.refunded", charge))

    assert stripe_api.calls("GET", "/v1/refunds")[0]["params"]["charge"] == charge["id"]
    assert Order.objects.get(pk=paid.pk).status == "refunded"


def test_the_learner_is_emailed_for_a_full_refund(paid, deliver, mailoutbox):
    mailoutbox.clear()

    deliver(event("charge.refunded", charge_object(paid)))

    [mail] = mailoutbox
    assert mail.to == [paid.email]
    assert "Your refund" in mail.subject
    assert "no longer in your library" in mail.body
    assert mail.alternatives[0][1] == "text/html"


def test_the_learner_is_emailed_for_a_partial_refund(paid, deliver, mailoutbox):
    mailoutbox.clear()

    deliver(event("charge.refunded", charge_object(paid, amount_refunded=900, refunded=False)))

    [mail] = mailoutbox
    assert "partial refund" in mail.subject
    assert "€9.00" in mail.body
    assert "you keep your access" in mail.body


def test_staff_without_an_active_account_are_not_emailed(paid, deliver, mailoutbox):
    UserFactory(email="gone@example.com", is_staff=True, is_active=False)
    deliver(event("charge.refunded", charge_object(paid)))
    mailoutbox.clear()

    deliver(event("refund.failed", refund_object(paid, status="failed")))

    assert all("gone@example.com" not in m.to for m in mailoutbox)
