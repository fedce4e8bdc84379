import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from learning.models import Enrollment
from purchases.models import Order, OrderEvent, WebhookEvent
from tests.purchases.factories import OrderFactory, event, session_object, signed

pytestmark = pytest.mark.django_db


def test_a_valid_event_is_stored_processed_and_acknowledged(deliver):
    order = OrderFactory()

    response = deliver(event("checkout.session.completed", session_object(order)))

    assert response.status_code == 200
    stored = WebhookEvent.objects.get()
    assert stored.status == "processed"
    assert stored.attempts == 1
    assert Enrollment.objects.filter(user=order.user, course=order.course).exists()


def test_an_invalid_signature_is_refused_and_nothing_is_stored(deliver):
    order = OrderFactory()

    response = deliver(
        event("checkout.session.completed", session_object(order)), secret="whsec_wrong"
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    assert Order.objects.get().status == "pending"


def test_a_missing_signature_is_refused_and_nothing_is_stored(client):
    order = OrderFactory()

    response = client.post(
        reverse("purchases:stripe_webhook"),
        data=json.dumps(event("checkout.session.completed", session_object(order))),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_tampered_body_is_refused(client):
    order = OrderFactory()
    body, header = signed(event("checkout.session.completed", session_object(order)))

    response = client.post(
        reverse("purchases:stripe_webhook"),
        data=body.replace('"paid"', '"PAID"'),
        content_type="application/json",
        headers={"Stripe-Signature": header},
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_duplicate_delivery_is_acknowledged_and_stored_once(deliver):
    order = OrderFactory()
    payload = event("checkout.session.completed", session_object(order))

    first, second = deliver(payload), deliver(payload)

    assert (first.status_code, second.status_code) == (200, 200)
    assert WebhookEvent.objects.count() == 1
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1


def test_an_unknown_event_type_is_stored_and_ignored(deliver):
    response = deliver(event("customer.created", {"id": "cus_123", "object": "customer"}))

    assert response.status_code == 200
    assert WebhookEvent.objects.get().status == "ignored"


def test_the_webhook_only_accepts_post(client):
    assert client.get(reverse("purchases:stripe_webhook")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_same_completion_delivered_20_times_at_once_enrols_exactly_once(mailoutbox):
    order = OrderFactory()
    body, header = signed(event("checkout.session.completed", session_object(order)))
    start = threading.Barrier(20)
    statuses = []

    def deliver_once():
        try:
            start.wait()
            response = Client().post(
                reverse("purchases:stripe_webhook"),
                data=body,
                content_type="application/json",
                headers={"Stripe-Signature": header},
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver_once) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * 20
    assert WebhookEvent.objects.count() == 1
    assert Enrollment.objects.filter(user=order.user, course=order.course).count() == 1
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    order.course.refresh_from_db()
    assert order.course.enrollment_count == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_distinct_deliveries_of_one_payment_enrol_exactly_once():
    """Stripe may send completed and async_payment_succeeded for the same session."""
    order = OrderFactory()
    bodies = [
        signed(event(kind, session_object(order)))
        for kind in ["checkout.session.completed", "checkout.session.async_payment_succeeded"] * 10
    ]
    start = threading.Barrier(len(bodies))

    def deliver_once(body, header):
        try:
            start.wait()
            Client().post(
                reverse("purchases:stripe_webhook"),
                data=body,
                content_type="application/json",
                headers={"Stripe-Signature": header},
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver_once, args=pair) for pair in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert WebhookEvent.objects.filter(status="processed").count() == 20
    assert Enrollment.objects.filter(user=order.user, course=order.course).count() == 1
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1


def test_stripe_redelivering_an_event_that_failed_processes_it_again(deliver):
    order = OrderFactory()
    payload = event("checkout.session.completed", session_object(order))
    WebhookEvent.objects.create(
        stripe_event_id=payload["id"],
        type=payload["type"],
        payload=payload,
        status="failed",
        attempts=1,
        last_error="RuntimeError: boom",
    )

    response = deliver(payload)

    assert response.status_code == 200
    assert WebhookEvent.objects.get().status == "processed"
    order.refresh_from_db()
    assert order.status == "paid"


def test_a_broker_outage_still_acknowledges_and_keeps_the_event_for_the_sweep(deliver, monkeypatch):
    from kombu.exceptions import OperationalError

    from purchases import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.process_webhook_event, "delay", broker_down)
    order = OrderFactory()

    response = deliver(event("checkout.session.completed", session_object(order)))

    assert response.status_code == 200
    stored = WebhookEvent.objects.get()
    assert stored.status == "received"
    assert stored.next_attempt_at is not None


def test_a_broker_outage_after_payment_still_shows_the_learner_their_course(
    client, learner, course, stripe_api, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from purchases import tasks

    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    order = Order.objects.get()
    stripe_api.pay(order.checkout_session_id)

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(tasks.send_receipt, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("purchases:success") + f"?session_id={order.checkout_session_id}"
        )

    assert response.status_code == 200
    assert "Start learning" in response.text
