"""The payment provider behind one small interface: Stripe Checkout, or a local test gateway.

The rest of the app calls get_gateway() and never knows which one runs. Both verify events
with Stripe's signature scheme, so the webhook view and the task are the same for both.
"""

import json
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import stripe
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from purchases.models import Order

LOCAL_DEFAULT_WEBHOOK_SECRET = "whsec_local_development_only"  # noqa: S105 (DEBUG only)
LOCAL_SESSION_TTL = 60 * 60 * 24


class InvalidEvent(Exception):
    """The event's signature or body could not be verified."""


class GatewayError(Exception):
    """The provider could not be reached or refused the request."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    status: str  # open, complete, expired
    payment_status: str  # paid, unpaid, no_payment_required
    amount_subtotal: int | None
    amount_total: int | None
    currency: str
    client_reference_id: str
    metadata: dict = field(default_factory=dict)
    payment_intent: str = ""

    @property
    def is_paid(self) -> bool:
        # no_payment_required: a 100 % promotion code; the learner still bought the course.
        return self.payment_status in ("paid", "no_payment_required")

    @classmethod
    def from_stripe(cls, data: Any) -> "CheckoutSession":
        """Build from a Checkout Session object (a StripeObject or the dict in an event)."""
        if isinstance(data, stripe.StripeObject):
            data = data.to_dict()
        get = data.get
        payment_intent = get("payment_intent") or ""
        if not isinstance(payment_intent, str):  # expanded object
            payment_intent = payment_intent.get("id", "")
        return cls(
            id=get("id"),
            url=get("url") or "",
            status=get("status") or "",
            payment_status=get("payment_status") or "",
            amount_subtotal=get("amount_subtotal"),
            amount_total=get("amount_total"),
            currency=(get("currency") or "").upper(),
            client_reference_id=get("client_reference_id") or "",
            metadata=dict(get("metadata") or {}),
            payment_intent=payment_intent,
        )

    def to_stripe_dict(self) -> dict:
        """The session as Stripe shapes it in an event's data.object."""
        return {
            "id": self.id,
            "object": "checkout.session",
            "url": self.url or None,
            "status": self.status,
            "payment_status": self.payment_status,
            "mode": "payment",
            "amount_subtotal": self.amount_subtotal,
            "amount_total": self.amount_total,
            "currency": self.currency.lower(),
            "client_reference_id": self.client_reference_id,
            "metadata": self.metadata,
            "payment_intent": self.payment_intent or None,
        }


@dataclass(frozen=True)
class ProviderRefund:
    """A refund as the provider reports it (https://docs.stripe.com/api/refunds/object)."""

    id: str
    amount: int
    status: str  # pending, requires_action, succeeded, failed, canceled
    charge: str = ""
    payment_intent: str = ""
    metadata: dict = field(default_factory=dict)
    failure_reason: str = ""

    @classmethod
    def from_stripe(cls, data: Any) -> "ProviderRefund":
        if isinstance(data, stripe.StripeObject):
            data = data.to_dict()
        get = data.get
        return cls(
            id=get("id") or "",
            amount=int(get("amount") or 0),
            status=get("status") or "pending",
            charge=_object_id(get("charge")),
            payment_intent=_object_id(get("payment_intent")),
            metadata=dict(get("metadata") or {}),
            failure_reason=get("failure_reason") or "",
        )


def _object_id(value: Any) -> str:
    """An id field that may also come expanded into its object."""
    if isinstance(value, dict):
        return value.get("id") or ""
    return value or ""


def livemode() -> bool:
    """Whether the configured keys move real money: only a live secret key does."""
    return settings.PAYMENTS_GATEWAY == "stripe" and settings.STRIPE_SECRET_KEY.startswith(
        "sk_live_"
    )


class Gateway(Protocol):
    name: str

    def create_checkout(
        self, *, order: Order, success_url: str, cancel_url: str, attempt: int = 0
    ) -> CheckoutSession: ...

    def retrieve_session(self, session_id: str) -> CheckoutSession: ...

    def expire_session(self, session_id: str) -> CheckoutSession: ...

    def parse_event(self, *, payload: bytes, signature: str) -> dict: ...

    def refund(self, *, order: Order, amount: int, idempotency_key: str) -> ProviderRefund: ...

    def list_refunds(self, *, charge_id: str) -> list[ProviderRefund]: ...


def _verify(payload: bytes, signature: str, secret: str) -> dict:
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature, secret, stripe.Webhook.DEFAULT_TOLERANCE
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidEvent(str(exc)) from exc
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise InvalidEvent("Not an event.")
    return event


class StripeGateway:
    name = "stripe"

    def _options(self) -> dict:
        return {"api_key": settings.STRIPE_SECRET_KEY}

    def create_checkout(
        self, *, order: Order, success_url: str, cancel_url: str, attempt: int = 0
    ) -> CheckoutSession:
        """`attempt` counts earlier failures: Stripe replays a saved error (a 500 too) for a
        reused idempotency key, so a retry after a failure needs a key of its own."""
        key = f"order-{order.pk}" if attempt == 0 else f"order-{order.pk}-retry-{attempt}"
        metadata = {"order_id": str(order.pk), "order_number": order.number}
        try:
            session = stripe.checkout.Session.create(
                mode="payment",
                client_reference_id=str(order.pk),
                metadata=metadata,
                # Copied onto the PaymentIntent so refunds and disputes can be matched too.
                payment_intent_data={"metadata": metadata},
                customer_email=order.email,
                success_url=success_url,
                cancel_url=cancel_url,
                allow_promotion_codes=True,
                line_items=[
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": order.currency.lower(),
                            "unit_amount": order.amount,
                            "product_data": {"name": order.course.title},
                        },
                    }
                ],
                idempotency_key=key,
                **self._options(),
            )
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
        return CheckoutSession.from_stripe(session)

    def retrieve_session(self, session_id: str) -> CheckoutSession:
        try:
            session = stripe.checkout.Session.retrieve(session_id, **self._options())
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
        return CheckoutSession.from_stripe(session)

    def expire_session(self, session_id: str) -> CheckoutSession:
        """End an open session so it can no longer be paid; refused unless it is open."""
        try:
            session = stripe.checkout.Session.expire(session_id, **self._options())
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
        return CheckoutSession.from_stripe(session)

    def parse_event(self, *, payload: bytes, signature: str) -> dict:
        return _verify(payload, signature, settings.STRIPE_WEBHOOK_SECRET)

    def refund(self, *, order: Order, amount: int, idempotency_key: str) -> ProviderRefund:
        if not order.payment_intent_id:
            raise GatewayError("This order has no payment to refund.")
        try:
            refund = stripe.Refund.create(
                payment_intent=order.payment_intent_id,
                amount=amount,
                # So that refund.updated / refund.failed can be matched to the order.
                metadata={"order_id": str(order.pk), "order_number": order.number},
                idempotency_key=idempotency_key,
                **self._options(),
            )
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc
        return ProviderRefund.from_stripe(refund)

    def list_refunds(self, *, charge_id: str) -> list[ProviderRefund]:
        """A charge's refunds; since API version 2022-11-15 its events no longer embed them."""
        try:
            page = stripe.Refund.list(charge=charge_id, limit=100, **self._options())
            return [ProviderRefund.from_stripe(r) for r in page.auto_paging_iter()]
        except stripe.StripeError as exc:
            raise GatewayError(str(exc)) from exc


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
        session = CheckoutSession(
            id=session_id,
            url=reverse("purchases:local_pay", args=[session_id]),
            status="open",
            payment_status="unpaid",
            amount_subtotal=order.amount,
            amount_total=order.amount,
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
        return _verify(payload, signature, self.webhook_secret())

    def pay(self, session_id: str) -> int:
        """The test card succeeded: mark the session paid and deliver the signed event."""
        session = replace(
            self.retrieve_session(session_id),
            status="complete",
            payment_status="paid",
            payment_intent=f"pi_local_{secrets.token_hex(12)}",
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

    def deliver(self, event_type: str, obj: dict) -> int:
        """Sign an event like Stripe does and post it through the real webhook view."""
        from django.test import RequestFactory
        from django.urls import reverse

        from purchases.views import stripe_webhook

        payload = json.dumps(local_event(event_type, obj))
        header = stripe.WebhookSignature.generate_signature_header(payload, self.webhook_secret())
        request = RequestFactory().post(
            reverse("purchases:stripe_webhook"),
            data=payload,
            content_type="application/json",
            headers={"Stripe-Signature": header},
        )
        return stripe_webhook(request).status_code


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


def get_gateway() -> Gateway:
    name = settings.PAYMENTS_GATEWAY
    if name == "stripe":
        return StripeGateway()
    if name == "local":
        return LocalGateway()
    raise ImproperlyConfigured(f"Unknown PAYMENTS_GATEWAY {name!r}: use 'stripe' or 'local'.")
