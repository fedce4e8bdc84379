from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment
from purchases import tasks
from purchases.models import Order

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
