import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from learning.models import Enrollment
from purchases.models import Order, OrderEvent
from tests.purchases.factories import event, session_object, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client, learner, course, stripe_api):
    """A learner who went through Buy: a pending order with a real (fake-Stripe) session."""
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    return Order.objects.get()


def success_url(order) -> str:
    return reverse("purchases:success") + f"?session_id={order.checkout_session_id}"


def test_the_success_page_shows_processing_until_the_payment_is_confirmed(client, order):
    response = client.get(success_url(order))

    assert response.status_code == 200
    assert "Payment processing" in response.text
    assert 'hx-trigger="every 2s"' in response.text
    assert "Refresh this page" in response.text
    assert "Start learning" not in response.text


def test_the_success_page_fulfils_a_paid_session_itself(client, order, stripe_api, learner):
    stripe_api.pay(order.checkout_session_id)

    response = client.get(success_url(order))

    assert "Start learning" in response.text
    assert reverse("learning:resume", args=[order.course.slug]) in response.text
    assert Enrollment.objects.filter(user=learner, course=order.course).count() == 1
    [call] = stripe_api.calls("GET", f"/v1/checkout/sessions/{order.checkout_session_id}")
    assert call["headers"]["Authorization"] == "Bearer sk_test_fake"


def test_return_and_webhook_together_enrol_once(
    client, order, stripe_api, learner, deliver, mailoutbox, django_capture_on_commit_callbacks
):
    session = stripe_api.pay(order.checkout_session_id)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(success_url(order))
    deliver(event("checkout.session.completed", session))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(success_url(order))

    assert Enrollment.objects.filter(user=learner, course=order.course).count() == 1
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    assert len(mailoutbox) == 1


def test_an_already_paid_order_does_not_ask_stripe_again(client, order, stripe_api, deliver):
    deliver(event("checkout.session.completed", session_object(order)))
    stripe_api.requests.clear()

    response = client.get(success_url(order))

    assert "Start learning" in response.text
    assert stripe_api.requests == []


def test_another_learner_cannot_see_the_success_page(client, order, other_learner):
    client.force_login(other_learner)

    assert client.get(success_url(order)).status_code == 404


def test_an_unknown_session_is_not_found(client, order):
    assert client.get(reverse("purchases:success") + "?session_id=nope").status_code == 404
    assert client.get(reverse("purchases:success")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_success_page(client, order):
    client.logout()

    response = client.get(success_url(order))

    assert response["Location"].startswith(reverse("account_login"))


def test_a_checkout_that_ended_unpaid_says_so_and_stops_waiting(client, order, stripe_api):
    stripe_api.sessions[order.checkout_session_id]["status"] = "expired"
    Order.objects.filter(pk=order.pk).update(status="closed")

    response = client.get(success_url(order))

    assert "ended without a payment" in response.text
    assert "hx-trigger" not in response.text


@pytest.mark.django_db(transaction=True)
def test_returns_and_webhooks_racing_each_other_enrol_exactly_once(
    order, stripe_api, learner, mailoutbox
):
    session = stripe_api.pay(order.checkout_session_id)
    body, header = signed(event("checkout.session.completed", session))
    start = threading.Barrier(20)

    def webhook():
        Client().post(
            reverse("purchases:stripe_webhook"),
            data=body,
            content_type="application/json",
            headers={"Stripe-Signature": header},
        )

    def return_from_stripe():
        browser = Client()
        browser.force_login(learner)
        browser.get(success_url(order))

    def run(action):
        try:
            start.wait()
            action()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(action,))
        for action in [webhook, return_from_stripe] * 10
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Enrollment.objects.filter(user=learner, course=order.course).count() == 1
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "session_id",
    ["cs_test_bogus", "", "cs_test_\x00nul", "x" * 5000, "cs_test_a1' OR '1'='1"],
    ids=["unknown", "empty", "nul-byte", "very-long", "quote"],
)
def test_a_bogus_session_id_is_a_404(client, learner, session_id):
    client.force_login(learner)

    response = client.get(reverse("purchases:success"), {"session_id": session_id})

    assert response.status_code == 404


def test_the_success_page_without_a_session_id_is_a_404(client, learner):
    client.force_login(learner)

    assert client.get(reverse("purchases:success")).status_code == 404


def test_the_success_page_waits_for_the_webhook_when_stripe_cannot_be_reached(
    client, order, stripe_api
):
    stripe_api._route = lambda *args: (500, {"error": {"type": "api_error", "message": "down"}})

    response = client.get(success_url(order))

    assert response.status_code == 200
    assert "Payment processing" in response.text


def test_a_page_polling_for_a_slow_payment_asks_stripe_at_most_every_few_seconds(
    client, order, stripe_api
):
    stripe_api.requests.clear()

    for _ in range(5):
        assert "Payment processing" in client.get(success_url(order)).text

    assert len(stripe_api.calls("GET", f"/v1/checkout/sessions/{order.checkout_session_id}")) == 1


def test_a_status_poll_while_the_payment_is_pending_changes_nothing_on_the_page(client, order):
    response = client.get(success_url(order), headers={"HX-Request": "true"})

    assert response.status_code == 204


def test_a_status_poll_after_the_payment_brings_the_new_status(client, order, stripe_api):
    stripe_api.pay(order.checkout_session_id)

    response = client.get(success_url(order), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Payment received" in response.text
