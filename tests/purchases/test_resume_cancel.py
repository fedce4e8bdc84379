"""A pending order abandoned at checkout can be resumed or cancelled from My orders."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.models import Enrollment
from purchases.models import Order, OrderEvent
from tests.purchases.factories import OrderFactory, event, session_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client, learner, course, stripe_api):
    """The learner clicked Buy, then left Stripe's page without paying."""
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    return Order.objects.get()


def resume(client, order):
    return client.post(reverse("purchases:resume_order", args=[order.number]))


def cancel(client, order, **kwargs):
    return client.post(reverse("purchases:cancel_order", args=[order.number]), **kwargs)


def test_my_orders_offers_to_resume_or_cancel_a_pending_order(client, order):
    response = client.get(reverse("purchases:orders"))

    assert reverse("purchases:resume_order", args=[order.number]) in response.text
    assert reverse("purchases:cancel_order", args=[order.number]) in response.text
    assert "csrfmiddlewaretoken" in response.text


def test_resuming_goes_back_to_the_still_open_stripe_session(client, order, stripe_api):
    response = resume(client, order)

    assert response.status_code == 303
    assert response["Location"] == order.checkout_url
    assert len(stripe_api.calls("POST", "/v1/checkout/sessions")) == 1


def test_resuming_after_the_session_ended_starts_a_new_one(client, order, stripe_api):
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(hours=25))
    stripe_api.sessions[order.checkout_session_id]["status"] = "expired"

    response = resume(client, order)

    assert response.status_code == 303
    new = Order.objects.get(status="pending")
    assert new.pk != order.pk
    assert response["Location"] == new.checkout_url
    assert Order.objects.get(pk=order.pk).status == "closed"


def test_resuming_an_order_that_is_no_longer_pending_says_so(client, order, deliver):
    deliver(event("checkout.session.completed", session_object(order)))

    response = resume(client, order)

    assert response.status_code == 303
    assert response["Location"] == order.get_absolute_url()


def test_cancelling_closes_the_order_expires_the_session_and_records_who(
    client, order, stripe_api, learner
):
    response = cancel(client, order, follow=True)

    assert "is cancelled" in response.text
    assert Order.objects.get(pk=order.pk).status == "closed"
    [expire] = stripe_api.calls("POST", f"/v1/checkout/sessions/{order.checkout_session_id}/expire")
    assert expire
    closed = OrderEvent.objects.get(order=order, to_status="closed")
    assert (closed.cause, closed.actor) == ("cancelled by the learner", learner)


def test_a_cancelled_order_paid_later_is_still_fulfilled(client, order, deliver, learner):
    cancel(client, order)

    deliver(event("checkout.session.completed", session_object(order)))

    assert Order.objects.get(pk=order.pk).status == "paid"
    assert Enrollment.objects.filter(user=learner, course=order.course).exists()


def test_cancelling_when_stripe_already_ended_the_session_still_closes(client, order, stripe_api):
    stripe_api.sessions[order.checkout_session_id]["status"] = "expired"

    cancel(client, order)

    assert Order.objects.get(pk=order.pk).status == "closed"


def test_a_paid_order_cannot_be_cancelled(client, order, deliver):
    deliver(event("checkout.session.completed", session_object(order)))

    response = cancel(client, order, follow=True)

    assert "Only an order waiting for payment can be cancelled" in response.text
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_after_cancelling_buy_starts_a_new_order(client, order, course, stripe_api):
    cancel(client, order)

    client.post(reverse("purchases:checkout", args=[course.slug]))

    assert Order.objects.filter(status="pending").exclude(pk=order.pk).count() == 1


def test_another_learner_cannot_resume_or_cancel_my_order(client, order, other_learner):
    client.force_login(other_learner)

    assert resume(client, order).status_code == 404
    assert cancel(client, order).status_code == 404
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_an_anonymous_visitor_is_sent_to_log_in(order):
    anonymous = Client()

    response = cancel(anonymous, order)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_cancelling_needs_a_post_with_a_csrf_token(order, learner):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)

    assert strict.get(reverse("purchases:cancel_order", args=[order.number])).status_code == 405
    assert cancel(strict, order).status_code == 403
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_a_malformed_order_number_is_a_404(client, learner):
    client.force_login(learner)

    response = client.post(reverse("purchases:cancel_order", args=["DS-%00"]))

    assert response.status_code == 404


def test_an_order_without_a_session_can_be_cancelled(client, learner, stripe_api):
    order = OrderFactory(user=learner, checkout_session_id=None, checkout_url="")
    client.force_login(learner)

    cancel(client, order)

    assert Order.objects.get(pk=order.pk).status == "closed"
    assert stripe_api.requests == []
