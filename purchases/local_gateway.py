"""The local test gateway: a checkout page on this site and Stripe-shaped signed events, for
development without Stripe keys (DEBUG only). Sessions live in the cache for a day."""

import json
import secrets
import time
from dataclasses import replace
from decimal import Decimal

import stripe
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from purchases.gateways import CheckoutSession, GatewayError, ProviderRefund, verify_event
from purchases.models import Order, WebhookEvent
from purchases.services.invoices import configured_tax_rate, split_tax
from purchases.services.webhooks import receive_event

LOCAL_DEFAULT_WEBHOOK_SECRET = "whsec_local_development_only"  # noqa: S105 (DEBUG only)
LOCAL_SESSION_TTL = 60 * 60 * 24


class LocalGateway:
    """Development without Stripe keys: a checkout page on this site, same signed events.

    Sessions live in the cache for a day; that is plenty for trying a purchase locally.
    """

    name = "local"

    def __init__(self) -> None:
        if not settings.DEBUG:
            raise ImproperlyConfigured("The local payment gateway only runs with DEBUG on.")

    @staticmethod
    def webhook_secret() -> str:
        return settings.STRIPE_WEBHOOK_SECRET or LOCAL_DEFAULT_WEBHOOK_SECRET

    @staticmethod
    def _key(session_id: str) -> str:
        return f"purchases:local-session:{session_id}"

    def save_session(self, session: CheckoutSession) -> None:
        cache.set(self._key(session.id), session.to_stripe_dict(), LOCAL_SESSION_TTL)

    def create_checkout(
        self, *, order: Order, success_url: str, cancel_url: str, attempt: int = 0
    ) -> CheckoutSession:
        from django.urls import reverse

        session_id = f"cs_test_local_{secrets.token_hex(12)}"
        # Tax as Stripe Tax would compute it, at the one configured rate.
        rate = configured_tax_rate()
        split = split_tax(
            amount=order.amount, rate=rate, prices_include_tax=order.prices_include_tax
        )
        session = CheckoutSession(
            id=session_id,
            url=reverse("purchases:local_pay", args=[session_id]),
            status="open",
            payment_status="unpaid",
            amount_subtotal=order.amount,
            amount_total=split.gross,
            amount_tax=split.tax,
            tax_rate=rate.quantize(Decimal("0.01")),
            currency=order.currency,
            client_reference_id=str(order.pk),
            metadata={"order_id": str(order.pk), "order_number": order.number},
        )
        self.save_session(session)
        cache.set(self._key(session_id) + ":urls", [success_url, cancel_url], LOCAL_SESSION_TTL)
        return session

    def success_url(self, session_id: str) -> str | None:
        urls = cache.get(self._key(session_id) + ":urls")
        return urls[0].replace("{CHECKOUT_SESSION_ID}", session_id) if urls else None

    def retrieve_session(self, session_id: str) -> CheckoutSession:
        data = cache.get(self._key(session_id))
        if data is None:
            raise GatewayError("Unknown or expired local checkout session.")
        return CheckoutSession.from_stripe(data)

    def expire_session(self, session_id: str) -> CheckoutSession:
        session = self.retrieve_session(session_id)
        if session.status != "open":
            raise GatewayError("Only open checkout sessions can be expired.")
        session = replace(session, status="expired")
        self.save_session(session)
        return session

    def parse_event(self, *, payload: bytes, signature: str) -> dict:
        return verify_event(payload, signature, self.webhook_secret())

    def pay(self, session_id: str, *, customer_details: dict | None = None) -> WebhookEvent:
        """The test card succeeded: mark the session paid and deliver the signed event.

        `customer_details` is shaped like the session's (name, email, address, tax_ids)."""
        session = replace(
            self.retrieve_session(session_id),
            status="complete",
            payment_status="paid",
            payment_intent=f"pi_local_{secrets.token_hex(12)}",
            customer_details=customer_details or {},
        )
        self.save_session(session)
        return self.deliver("checkout.session.completed", session.to_stripe_dict())

    def refund(self, *, order: Order, amount: int, idempotency_key: str) -> ProviderRefund:
        """Refund at once and deliver charge.refunded, as Stripe would shortly after."""
        key = f"purchases:local-refund:{idempotency_key}"
        if (known := cache.get(key)) is not None:
            return ProviderRefund.from_stripe(known)
        charged = order.amount_paid if order.amount_paid is not None else order.amount
        charge_id = order.charge_id or f"ch_local_{secrets.token_hex(12)}"
        metadata = {"order_id": str(order.pk), "order_number": order.number}
        refund = {
            "id": f"re_local_{secrets.token_hex(8)}",
            "object": "refund",
            "amount": amount,
            "charge": charge_id,
            "currency": order.currency.lower(),
            "metadata": metadata,
            "payment_intent": order.payment_intent_id or None,
            "status": "succeeded",
        }
        cache.set(key, refund, LOCAL_SESSION_TTL)
        earlier = [
            {**refund, "id": r.stripe_refund_id, "amount": r.amount, "status": r.status}
            for r in order.refunds.all()
        ]
        refunds = [refund, *earlier]
        refunded = sum(r["amount"] for r in refunds if r["status"] == "succeeded")
        charge = {
            "id": charge_id,
            "object": "charge",
            "amount": charged,
            "amount_refunded": refunded,
            "refunded": refunded >= charged,
            "currency": order.currency.lower(),
            "payment_intent": order.payment_intent_id or None,
            "metadata": metadata,
            "refunds": {
                "object": "list",
                "data": refunds,
                "has_more": False,
                "total_count": len(refunds),
                "url": f"/v1/charges/{charge_id}/refunds",
            },
        }
        self.deliver("charge.refunded", charge)
        return ProviderRefund.from_stripe(refund)

    def list_refunds(self, *, charge_id: str) -> list[ProviderRefund]:
        # Its charge.refunded events always embed their refunds.
        raise GatewayError("The local gateway embeds refunds in its events.")

    def deliver(self, event_type: str, obj: dict) -> WebhookEvent:
        """Sign an event like Stripe does, verify it as the webhook view does, and hand it to
        the service that view calls: stored once, processed by the same task."""
        payload = json.dumps(local_event(event_type, obj))
        header = stripe.WebhookSignature.generate_signature_header(payload, self.webhook_secret())
        event = self.parse_event(payload=payload.encode(), signature=header)
        stored, _ = receive_event(event=event)
        return stored


def local_event(event_type: str, obj: dict) -> dict:
    """An event shaped like Stripe's (https://docs.stripe.com/api/events/object)."""
    return {
        "id": f"evt_local_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": obj},
    }
