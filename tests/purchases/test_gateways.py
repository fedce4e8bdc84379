import pytest

from purchases.gateways import CheckoutSession, GatewayError, StripeGateway
from tests.purchases.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_retrieving_an_unknown_session_raises_a_gateway_error(stripe_api):
    with pytest.raises(GatewayError, match=r"No such checkout\.session"):
        StripeGateway().retrieve_session("cs_test_missing")


def test_a_refund_needs_a_payment_to_refund(stripe_api):
    with pytest.raises(GatewayError):
        StripeGateway().refund(order=OrderFactory(), amount=100, idempotency_key="k")
    assert stripe_api.requests == []


def test_a_session_with_an_expanded_payment_intent_keeps_its_id():
    session = CheckoutSession.from_stripe(
        {
            "id": "cs_test_1",
            "status": "complete",
            "payment_status": "paid",
            "amount_subtotal": 4900,
            "amount_total": 4900,
            "currency": "eur",
            "client_reference_id": "7",
            "metadata": {"order_id": "7"},
            "payment_intent": {"id": "pi_123", "object": "payment_intent"},
        }
    )

    assert session.payment_intent == "pi_123"
    assert session.currency == "EUR"
    assert session.is_paid
