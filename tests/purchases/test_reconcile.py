from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import Enrollment
from purchases import tasks
from purchases.models import Order
from purchases.services.reconcile import reconcile_pending_orders
from tests.purchases.factories import OrderFactory, session_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client, learner, course, stripe_api):
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    order = Order.objects.get()
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(hours=1))
    return order


def test_a_pending_order_whose_webhook_was_lost_is_fulfilled_by_the_sweep(
    order, stripe_api, learner, django_capture_on_commit_callbacks
):
    stripe_api.pay(order.checkout_session_id)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reconcile_pending_orders.delay().get() == 1

    order.refresh_from_db()
    assert order.status == "paid"
    assert Enrollment.objects.filter(user=learner, course=order.course).exists()


def test_a_pending_order_whose_session_expired_is_closed_by_the_sweep(order, stripe_api):
    stripe_api.sessions[order.checkout_session_id]["status"] = "expired"

    tasks.reconcile_pending_orders.delay()

    order.refresh_from_db()
    assert order.status == "closed"


def test_a_checkout_still_open_is_left_alone(order, stripe_api):
    tasks.reconcile_pending_orders.delay()

    order.refresh_from_db()
    assert order.status == "pending"


def test_a_recent_pending_order_is_not_asked_about(order, stripe_api):
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now())
    stripe_api.requests.clear()

    tasks.reconcile_pending_orders.delay()

    assert stripe_api.requests == []


def test_buying_again_after_the_session_ended_starts_a_new_order(client, order, stripe_api, course):
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(hours=25))
    stripe_api.sessions[order.checkout_session_id]["status"] = "expired"

    response = client.post(reverse("purchases:checkout", args=[course.slug]))

    assert response.status_code == 303
    assert list(Order.objects.order_by("created_at").values_list("status", flat=True)) == [
        "closed",
        "pending",
    ]


def open_session(stripe_api, order, **overrides) -> None:
    """A session Stripe knows about, as if created by the order's checkout."""
    fields = {"status": "open", "payment_status": "unpaid", "payment_intent": None, **overrides}
    stripe_api.sessions[order.checkout_session_id] = session_object(order, **fields)


def sessions_asked(stripe_api) -> list[str]:
    return [
        r["path"].rsplit("/", 1)[1]
        for r in stripe_api.requests
        if r["method"] == "GET" and r["path"].startswith("/v1/checkout/sessions/")
    ]


def test_every_pending_order_gets_its_turn_when_there_are_more_than_one_batch(stripe_api):
    orders = OrderFactory.create_batch(5)
    Order.objects.update(created_at=timezone.now() - timedelta(hours=2))
    for order in orders:
        open_session(stripe_api, order)

    for _ in range(3):
        reconcile_pending_orders(limit=2)

    assert set(sessions_asked(stripe_api)) == {o.checkout_session_id for o in orders}


def test_a_pending_order_past_its_session_end_is_asked_first(stripe_api):
    recent, ended = OrderFactory(), OrderFactory()
    Order.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(hours=1))
    Order.objects.filter(pk=ended.pk).update(created_at=timezone.now() - timedelta(hours=25))
    open_session(stripe_api, recent)
    open_session(stripe_api, ended, status="expired")

    reconcile_pending_orders(limit=1)

    assert sessions_asked(stripe_api) == [ended.checkout_session_id]
    ended.refresh_from_db()
    assert ended.status == "closed"


def test_an_order_asked_about_recently_is_not_asked_again_at_once(stripe_api):
    order = OrderFactory()
    Order.objects.update(created_at=timezone.now() - timedelta(hours=2))
    open_session(stripe_api, order)
    reconcile_pending_orders()
    stripe_api.requests.clear()

    reconcile_pending_orders()

    assert stripe_api.requests == []


def test_buying_again_near_the_end_of_an_open_session_replaces_it(
    client, order, stripe_api, course
):
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(hours=23, minutes=30)
    )

    response = client.post(reverse("purchases:checkout", args=[course.slug]))

    old, new = Order.objects.order_by("created_at")
    assert (old.status, new.status) == ("closed", "pending")
    assert stripe_api.sessions[old.checkout_session_id]["status"] == "expired"
    assert response["Location"] == new.checkout_url
    assert "replaced" in old.events.last().cause


def test_a_session_paid_just_before_it_would_be_replaced_is_fulfilled_instead(
    client, order, stripe_api, course, learner
):
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(hours=23, minutes=30)
    )
    stripe_api.pay(order.checkout_session_id)

    response = client.post(reverse("purchases:checkout", args=[course.slug]), follow=True)

    assert Order.objects.get().status == "paid"
    assert "already have this course" in response.text
