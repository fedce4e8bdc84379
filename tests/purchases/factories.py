"""Orders and provider events shaped as Stripe documents them."""

import itertools
import json

import factory
import stripe

from tests.factories import CourseFactory, UserFactory

_ids = itertools.count(1)
WEBHOOK_SECRET = "whsec_test_secret"


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "purchases.Order"

    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    course = factory.SubFactory(CourseFactory)
    amount = factory.SelfAttribute("course.price_amount")
    currency = factory.SelfAttribute("course.currency")
    status = "pending"
    checkout_session_id = factory.Sequence(lambda n: f"cs_test_a1{n:08d}")
    checkout_url = factory.LazyAttribute(
        lambda o: f"https://checkout.stripe.com/c/pay/{o.checkout_session_id}"
    )


def session_object(order, **overrides) -> dict:
    """A checkout.session object (https://docs.stripe.com/api/checkout/sessions/object)."""
    data = {
        "id": order.checkout_session_id,
        "object": "checkout.session",
        "mode": "payment",
        "status": "complete",
        "payment_status": "paid",
        "amount_subtotal": order.amount,
        "amount_total": order.amount,
        "currency": order.currency.lower(),
        "client_reference_id": str(order.pk),
        "customer_email": order.email,
        "metadata": {"order_id": str(order.pk), "order_number": order.number},
        "payment_intent": f"pi_3Test{order.pk:010d}",
        "url": None,
    }
    data.update(overrides)
    return data


def refund_object(order, **overrides) -> dict:
    """A refund object (https://docs.stripe.com/api/refunds/object)."""
    data = {
        "id": f"re_3Test{order.pk:010d}",
        "object": "refund",
        "amount": order.amount,
        "balance_transaction": f"txn_3Test{order.pk:010d}",
        "charge": f"ch_3Test{order.pk:010d}",
        "created": 1_700_000_100,
        "currency": order.currency.lower(),
        "metadata": {},
        "payment_intent": f"pi_3Test{order.pk:010d}",
        "reason": "requested_by_customer",
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }
    data.update(overrides)
    return data


def charge_object(order, refunds: list[dict] | None = None, **overrides) -> dict:
    """A charge object as in charge.refunded (https://docs.stripe.com/api/charges/object).

    `refunds` defaults to one refund of amount_refunded (none when nothing is refunded).
    """
    data = {
        "id": f"ch_3Test{order.pk:010d}",
        "object": "charge",
        "amount": order.amount,
        "amount_refunded": order.amount,
        "refunded": True,
        "currency": order.currency.lower(),
        "payment_intent": f"pi_3Test{order.pk:010d}",
        "metadata": {},
        "status": "succeeded",
    }
    data.update(overrides)
    if refunds is None:
        refunds = (
            [
                refund_object(
                    order,
                    amount=data["amount_refunded"],
                    charge=data["id"],
                    payment_intent=data["payment_intent"],
                )
            ]
            if data["amount_refunded"]
            else []
        )
    data["refunds"] = {
        "object": "list",
        "data": refunds,
        "has_more": False,
        "total_count": len(refunds),
        "url": f"/v1/charges/{data['id']}/refunds",
    }
    return data


def dispute_object(order, **overrides) -> dict:
    data = {
        "id": f"dp_Test{order.pk:010d}",
        "object": "dispute",
        "amount": order.amount,
        "charge": f"ch_3Test{order.pk:010d}",
        "payment_intent": f"pi_3Test{order.pk:010d}",
        "currency": order.currency.lower(),
        "reason": "fraudulent",
        "status": "needs_response",
    }
    data.update(overrides)
    return data


def event(event_type: str, obj: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_test_{next(_ids):012d}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": 1_700_000_000,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": obj},
    }


def signed(payload: dict | str, secret: str = WEBHOOK_SECRET) -> tuple[str, str]:
    """The body and the Stripe-Signature header, computed with the stripe library's scheme."""
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return body, stripe.WebhookSignature.generate_signature_header(body, secret)
