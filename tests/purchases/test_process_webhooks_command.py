"""`manage.py process_webhooks`: what an operator runs by hand when the worker was down."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from purchases.models import WebhookEvent
from tests.purchases.factories import OrderFactory, charge_object, event, session_object

pytestmark = pytest.mark.django_db

COMPLETED = "checkout.session.completed"


def stored(payload: dict, **fields) -> WebhookEvent:
    fields.setdefault("next_attempt_at", timezone.now() - timedelta(seconds=1))
    return WebhookEvent.objects.create(
        stripe_event_id=payload["id"], type=payload["type"], payload=payload, **fields
    )


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("process_webhooks", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_shows_progress_and_a_summary():
    for _ in range(3):
        stored(event(COMPLETED, session_object(OrderFactory())))

    out, err = run()

    assert "3/3" in err
    assert "3 processed, 0 failed." in out


def test_its_summary_counts_ignored_and_failed_events_and_names_the_failures():
    order = OrderFactory()
    stored(event(COMPLETED, session_object(order)))
    stored(event("customer.created", {"id": "cus_1", "object": "customer"}))
    unmatched = stored(event("charge.refunded", charge_object(OrderFactory(), metadata={})))

    out, _ = run()

    assert "2 processed, 1 failed." in out
    assert "1 ignored" in out
    assert unmatched.stripe_event_id in out
    assert "No order matches this charge yet." in out


def test_with_nothing_to_do_it_says_so():
    out, err = run()

    assert "Nothing to process." in out
    assert err == ""


def test_it_leaves_events_not_yet_due_unless_told_all():
    waiting = stored(
        event(COMPLETED, session_object(OrderFactory())),
        next_attempt_at=timezone.now() + timedelta(minutes=2),
    )

    run()
    waiting.refresh_from_db()
    assert waiting.status == "received"

    run("--all")
    waiting.refresh_from_db()
    assert waiting.status == "processed"
