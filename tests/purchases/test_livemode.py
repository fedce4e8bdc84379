"""Events from the other mode (test vs live) are stored and never applied."""

import pytest

from learning.models import Enrollment
from purchases.models import Order, WebhookEvent
from tests.purchases.factories import OrderFactory, charge_object, event, session_object

pytestmark = pytest.mark.django_db


def in_mode(payload: dict, live: bool) -> dict:
    return {**payload, "livemode": live}


def test_a_live_event_reaching_test_keys_is_stored_and_not_applied(deliver, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    order = OrderFactory()

    response = deliver(in_mode(event("checkout.session.completed", session_object(order)), True))

    assert response.status_code == 200
    stored = WebhookEvent.objects.get()
    assert stored.status == "ignored"
    assert "live mode event" in stored.last_error
    assert Order.objects.get(pk=order.pk).status == "pending"
    assert not Enrollment.objects.exists()


def test_a_test_event_reaching_live_keys_is_stored_and_not_applied(deliver, settings):
    settings.PAYMENTS_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_live_fake"
    order = OrderFactory(status="paid", payment_intent_id=f"pi_3Test{1:010d}")

    deliver(in_mode(event("charge.refunded", charge_object(order)), False))

    stored = WebhookEvent.objects.get()
    assert stored.status == "ignored"
    assert "this site uses live keys" in stored.last_error
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_a_live_event_reaching_live_keys_is_applied(deliver, settings):
    settings.PAYMENTS_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_live_fake"
    order = OrderFactory()

    deliver(in_mode(event("checkout.session.completed", session_object(order)), True))

    assert Order.objects.get(pk=order.pk).status == "paid"


def test_the_local_gateway_is_test_mode_even_with_a_live_looking_key(deliver, settings):
    settings.DEBUG = True
    settings.PAYMENTS_GATEWAY = "local"
    settings.STRIPE_SECRET_KEY = "sk_live_fake"
    order = OrderFactory()

    deliver(in_mode(event("checkout.session.completed", session_object(order)), True))

    assert WebhookEvent.objects.get().status == "ignored"
    assert Order.objects.get(pk=order.pk).status == "pending"
