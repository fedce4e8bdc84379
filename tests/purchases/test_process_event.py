from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from learning.models import Enrollment
from purchases.models import Order, OrderEvent, WebhookEvent
from purchases.services import transitions
from purchases.services.webhooks import backoff, retry_unprocessed_events
from tests.factories import EnrollmentFactory
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


def status_of(order) -> str:
    order.refresh_from_db()
    return order.status


def test_a_paid_completion_marks_the_order_paid_enrols_and_sends_a_receipt(deliver, mailoutbox):
    order = OrderFactory()

    deliver(event(COMPLETED, session_object(order)))

    assert status_of(order) == "paid"
    assert has_access(order)
    assert order.payment_intent_id == f"pi_3Test{order.pk:010d}"
    assert Enrollment.objects.get(user=order.user).source == "purchase"
    assert len(mailoutbox) == 1
    receipt = mailoutbox[0]
    assert order.number in receipt.subject
    assert order.course.title in receipt.body
    assert "€49.00" in receipt.body
    assert receipt.alternatives and order.number in receipt.alternatives[0][0]


def test_an_unpaid_completion_waits_for_the_asynchronous_payment(deliver):
    order = OrderFactory()

    deliver(event(COMPLETED, session_object(order, payment_status="unpaid")))

    assert status_of(order) == "pending"
    assert not has_access(order)
    assert WebhookEvent.objects.get().status == "processed"


def test_an_asynchronous_payment_that_succeeds_enrols(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order, payment_status="unpaid")))

    deliver(event("checkout.session.async_payment_succeeded", session_object(order)))

    assert status_of(order) == "paid"
    assert has_access(order)


def test_an_asynchronous_payment_that_fails_closes_the_order(deliver):
    order = OrderFactory()

    deliver(
        event(
            "checkout.session.async_payment_failed", session_object(order, payment_status="unpaid")
        )
    )

    assert status_of(order) == "closed"
    assert not has_access(order)


def test_an_expired_session_closes_the_order(deliver):
    order = OrderFactory()

    deliver(
        event(
            "checkout.session.expired",
            session_object(order, status="expired", payment_status="unpaid"),
        )
    )

    assert status_of(order) == "closed"
    assert OrderEvent.objects.get(order=order).cause == "session expired"


def test_a_payment_for_an_expired_order_is_still_fulfilled(deliver):
    order = OrderFactory(status="closed")

    deliver(event(COMPLETED, session_object(order)))

    assert status_of(order) == "paid"
    assert has_access(order)


def test_an_expiry_after_payment_changes_nothing(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))

    deliver(event("checkout.session.expired", session_object(order, status="expired")))

    assert status_of(order) == "paid"
    assert has_access(order)


def test_a_payment_whose_amount_does_not_match_the_order_is_held_for_review(deliver):
    order = OrderFactory()

    deliver(event(COMPLETED, session_object(order, amount_subtotal=100, amount_total=100)))

    assert status_of(order) == "needs_review"
    assert not has_access(order)
    assert WebhookEvent.objects.get().status == "processed"
    held = OrderEvent.objects.get(order=order, to_status="needs_review")
    assert "does not match" in held.cause
    assert order.payment_intent_id == f"pi_3Test{order.pk:010d}"  # so it can be refunded


def test_a_payment_in_another_currency_is_not_fulfilled(deliver):
    order = OrderFactory()

    deliver(event(COMPLETED, session_object(order, currency="usd")))

    assert status_of(order) == "needs_review"
    assert not has_access(order)


def test_a_promotion_code_discount_is_still_fulfilled(deliver):
    order = OrderFactory()

    deliver(event(COMPLETED, session_object(order, amount_total=order.amount - 1000)))

    assert status_of(order) == "paid"
    assert order.amount_paid == order.amount - 1000


def test_a_full_refund_marks_the_order_refunded_and_removes_access(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))

    deliver(event("charge.refunded", charge_object(order)))

    assert status_of(order) == "refunded"
    assert order.refunded_amount == order.amount
    assert not has_access(order)


def test_a_partial_refund_keeps_access_and_records_the_amount(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))

    deliver(event("charge.refunded", charge_object(order, amount_refunded=900, refunded=False)))

    assert status_of(order) == "paid"
    assert order.refunded_amount == 900
    assert has_access(order)


def test_a_refund_before_the_completion_ends_refunded_without_access(deliver):
    order = OrderFactory()

    refund = deliver(event("charge.refunded", charge_object(order)))
    deliver(event(COMPLETED, session_object(order)))
    # The refund could not be matched before the completion named the payment; it is retried.
    WebhookEvent.objects.update(next_attempt_at=timezone.now())
    retry_unprocessed_events()

    assert refund.status_code == 200
    assert status_of(order) == "refunded"
    assert not has_access(order)
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}


def test_a_refund_carrying_the_order_id_before_the_completion_ends_refunded(deliver):
    order = OrderFactory()
    metadata = {"order_id": str(order.pk)}

    deliver(event("charge.refunded", charge_object(order, metadata=metadata)))
    deliver(event(COMPLETED, session_object(order)))

    assert status_of(order) == "refunded"
    assert not has_access(order)


def test_an_opened_dispute_keeps_access(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))

    deliver(event("charge.dispute.created", dispute_object(order)))

    assert status_of(order) == "disputed"
    assert has_access(order)


def test_a_lost_dispute_removes_access(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))
    deliver(event("charge.dispute.created", dispute_object(order)))

    deliver(event("charge.dispute.closed", dispute_object(order, status="lost")))

    assert status_of(order) == "refunded"
    assert not has_access(order)


def test_a_won_dispute_returns_the_order_to_paid(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))
    deliver(event("charge.dispute.created", dispute_object(order)))

    deliver(event("charge.dispute.closed", dispute_object(order, status="won")))

    assert status_of(order) == "paid"
    assert has_access(order)


def test_a_completion_for_a_session_that_is_not_ours_is_ignored(deliver):
    order = OrderFactory()
    foreign = session_object(order, id="cs_test_other", client_reference_id=None, metadata={})

    deliver(event(COMPLETED, foreign))

    assert WebhookEvent.objects.get().status == "ignored"
    assert status_of(order) == "pending"


def test_a_failing_event_is_kept_with_its_error_then_retried_until_it_succeeds(deliver):
    order = OrderFactory()
    real_enroll = transitions.enroll
    calls = []

    def enroll_failing_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")
        return real_enroll(**kwargs)

    with mock.patch.object(transitions, "enroll", side_effect=enroll_failing_once):
        deliver(event(COMPLETED, session_object(order)))
        stored = WebhookEvent.objects.get()
        assert stored.status == "failed"
        assert stored.attempts == 1
        assert "database hiccup" in stored.last_error
        assert stored.next_attempt_at > timezone.now()
        assert status_of(order) == "pending"

        WebhookEvent.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        retry_unprocessed_events()

    stored.refresh_from_db()
    assert stored.status == "processed"
    assert stored.attempts == 2
    assert status_of(order) == "paid"
    assert has_access(order)


def test_the_retry_sweep_waits_for_the_backoff():
    order = OrderFactory()
    stored = WebhookEvent.objects.create(
        stripe_event_id="evt_1",
        type=COMPLETED,
        payload=event(COMPLETED, session_object(order)),
        status="failed",
        attempts=3,
        next_attempt_at=timezone.now() + timedelta(minutes=2),
    )

    assert retry_unprocessed_events() == 0
    stored.refresh_from_db()
    assert stored.status == "failed"


def test_backoff_grows_exponentially_and_is_capped():
    assert backoff(1) == timedelta(seconds=30)
    assert backoff(3) == timedelta(minutes=2)
    assert backoff(30) == timedelta(hours=6)


def test_the_process_webhooks_command_processes_events_whose_task_never_ran(capsys):
    order = OrderFactory()
    WebhookEvent.objects.create(
        stripe_event_id="evt_lost_task",
        type=COMPLETED,
        payload=event(COMPLETED, session_object(order), event_id="evt_lost_task"),
        next_attempt_at=timezone.now() + timedelta(minutes=2),
    )

    call_command("process_webhooks", "--all", verbosity=0)

    assert "1 processed, 0 failed." in capsys.readouterr().out
    assert status_of(order) == "paid"


def test_a_learner_who_already_had_access_keeps_one_enrollment(deliver):
    order = OrderFactory()
    EnrollmentFactory(user=order.user, course=order.course, source="admin")

    deliver(event(COMPLETED, session_object(order)))

    assert status_of(order) == "paid"
    assert Enrollment.objects.filter(user=order.user).count() == 1


def test_a_refund_restores_nothing_when_the_order_was_never_paid(deliver):
    order = OrderFactory(status="closed")

    deliver(event("charge.refunded", charge_object(order, metadata={"order_id": str(order.pk)})))

    assert Order.objects.get(pk=order.pk).status == "refunded"
    assert not has_access(order)


def test_a_checkout_fully_covered_by_a_promotion_code_is_fulfilled(deliver):
    order = OrderFactory()

    deliver(
        event(
            COMPLETED, session_object(order, amount_total=0, payment_status="no_payment_required")
        )
    )

    assert status_of(order) == "paid"
    assert has_access(order)


def test_a_task_for_an_event_that_does_not_exist_ends_quietly():
    from purchases.tasks import process_webhook_event

    assert process_webhook_event.delay(987654).get() == "missing"


def test_a_won_dispute_whose_opening_was_never_received_changes_nothing(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))

    deliver(event("charge.dispute.closed", dispute_object(order, status="won")))

    assert status_of(order) == "paid"
    assert not OrderEvent.objects.filter(cause__startswith="refused").exists()


def test_a_late_payment_for_a_closed_order_is_recorded_with_its_event(deliver):
    order = OrderFactory(status="closed")
    completed = event(COMPLETED, session_object(order))

    deliver(completed)

    change = OrderEvent.objects.get(order=order)
    assert (change.from_status, change.to_status) == ("closed", "paid")
    assert change.stripe_event_id == completed["id"]
    assert WebhookEvent.objects.get().status == "processed"


def test_a_late_payment_for_a_course_bought_again_meanwhile_is_flagged_for_a_refund(deliver):
    first = OrderFactory(status="closed")
    second = OrderFactory(user=first.user, course=first.course)
    deliver(event(COMPLETED, session_object(second)))

    deliver(event(COMPLETED, session_object(first)))

    assert status_of(first) == "paid"
    assert Enrollment.objects.filter(user=first.user).count() == 1
    note = OrderEvent.objects.filter(order=first).last()
    assert "already had access" in note.cause
    assert second.number in note.cause


def test_a_second_partial_refund_matched_by_its_charge_adds_up(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))
    first = refund_object(order, id="re_3TestFirst", amount=900)
    deliver(
        event(
            "charge.refunded",
            charge_object(order, amount_refunded=900, refunded=False, refunds=[first]),
        )
    )

    second = refund_object(order, id="re_3TestSecond", amount=1000)
    deliver(
        event(
            "charge.refunded",
            charge_object(
                order,
                amount_refunded=1900,
                refunded=False,
                payment_intent=None,
                refunds=[second, first],
            ),
        )
    )

    assert status_of(order) == "paid"
    assert order.refunded_amount == 1900
    assert has_access(order)


def test_a_refund_is_matched_by_its_payment_intent_when_the_charge_has_no_metadata(deliver):
    order = OrderFactory()
    other = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))
    deliver(event(COMPLETED, session_object(other)))

    deliver(event("charge.refunded", charge_object(order, metadata={})))

    assert status_of(order) == "refunded"
    assert status_of(other) == "paid"


def test_a_full_refund_after_a_promotion_code_records_what_was_charged(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order, amount_total=3900)))

    deliver(event("charge.refunded", charge_object(order, amount=3900, amount_refunded=3900)))

    assert status_of(order) == "refunded"
    assert order.refunded_amount == 3900


def test_a_dispute_is_matched_by_its_charge_once_the_charge_is_known(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))
    deliver(event("charge.refunded", charge_object(order, amount_refunded=100, refunded=False)))

    deliver(event("charge.dispute.created", dispute_object(order, payment_intent=None)))

    assert status_of(order) == "disputed"


def test_a_dispute_for_a_payment_not_yet_completed_waits_for_the_completion(deliver):
    order = OrderFactory()

    deliver(event("charge.dispute.created", dispute_object(order)))
    assert WebhookEvent.objects.get().status == "failed"
    deliver(event(COMPLETED, session_object(order)))
    WebhookEvent.objects.update(next_attempt_at=timezone.now())
    retry_unprocessed_events()

    assert status_of(order) == "disputed"
    assert has_access(order)


def test_a_closed_inquiry_keeps_access(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))
    deliver(event("charge.dispute.created", dispute_object(order, status="warning_needs_response")))

    deliver(event("charge.dispute.closed", dispute_object(order, status="warning_closed")))

    assert status_of(order) == "paid"
    assert has_access(order)


def test_dispute_funds_movements_are_recorded_on_the_order(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))
    deliver(event("charge.dispute.created", dispute_object(order)))

    deliver(event("charge.dispute.funds_withdrawn", dispute_object(order)))

    assert status_of(order) == "disputed"
    assert OrderEvent.objects.filter(order=order, cause__contains="funds withdrawn").exists()


def test_a_completion_from_another_site_naming_the_same_order_id_is_ignored(deliver):
    # e.g. a staging and a development site sharing one Stripe test account.
    order = OrderFactory()
    theirs = session_object(
        order,
        id="cs_test_elsewhere",
        metadata={"order_id": str(order.pk), "order_number": "DS-ELSEWHRE"},
    )

    deliver(event(COMPLETED, theirs))

    assert status_of(order) == "pending"
    assert not has_access(order)
    assert WebhookEvent.objects.get().status == "ignored"


def test_a_refund_from_another_site_naming_the_same_order_id_is_not_applied(deliver):
    order = OrderFactory()
    deliver(event(COMPLETED, session_object(order)))
    theirs = charge_object(
        order,
        id="ch_elsewhere",
        payment_intent="pi_elsewhere",
        metadata={"order_id": str(order.pk), "order_number": "DS-ELSEWHRE"},
    )

    deliver(event("charge.refunded", theirs))

    assert status_of(order) == "paid"
    assert has_access(order)
