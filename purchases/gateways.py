"""The payment provider behind one small interface: Stripe Checkout, or a local test gateway.

The rest of the app calls get_gateway() and never knows which one runs. Both verify events
with Stripe's signature scheme, so the webhook view and the task are the same for both.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from purchases.models import Order


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
    # total_details.amount_tax: included in amount_total, or added to it (tax_behavior).
    amount_tax: int = 0
    # The rate when the session reports a single one (total_details.breakdown, if expanded).
    tax_rate: Decimal | None = None
    # customer_details: name, email, address and tax_ids as collected at checkout.
    customer_details: dict = field(default_factory=dict)

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
        totals = get("total_details") or {}
        return cls(
            amount_tax=int(totals.get("amount_tax") or 0),
            tax_rate=_single_tax_rate(totals),
            customer_details=dict(get("customer_details") or {}),
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
            "total_details": {
                "amount_discount": 0,
                "amount_shipping": 0,
                "amount_tax": self.amount_tax,
                **(
                    {"breakdown": _breakdown(self.amount_tax, self.tax_rate)}
                    if self.tax_rate is not None
                    else {}
                ),
            },
            "customer_details": self.customer_details or None,
        }


def _single_tax_rate(totals: dict) -> Decimal | None:
    """The rate of total_details.breakdown.taxes (present only when expanded) if only one."""
    taxes = (totals.get("breakdown") or {}).get("taxes") or []
    rates = {(t.get("rate") or {}).get("percentage") for t in taxes}
    if len(rates) != 1 or None in rates:
        return None
    return Decimal(str(rates.pop())).quantize(Decimal("0.01"))


def _breakdown(amount_tax: int, rate: Decimal) -> dict:
    return {
        "discounts": [],
        "taxes": [
            {
                "amount": amount_tax,
                "rate": {"object": "tax_rate", "percentage": float(rate)},
                "taxability_reason": "standard_rated",
            }
        ],
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


def verify_event(payload: bytes, signature: str, secret: str) -> dict:
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
                # Stripe Tax computes the tax from the buyer's address; business buyers give
                # their VAT number. The invoice takes its figures from the paid session.
                automatic_tax={"enabled": True},
                tax_id_collection={"enabled": True},
                billing_address_collection="required",
                line_items=[
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": order.currency.lower(),
                            "unit_amount": order.amount,
                            "product_data": {"name": order.course.title},
                            "tax_behavior": "inclusive"
                            if order.prices_include_tax
                            else "exclusive",
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
        return verify_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)

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


def get_gateway() -> Gateway:
    name = settings.PAYMENTS_GATEWAY
    if name == "stripe":
        return StripeGateway()
    if name == "local":
        # Imported here: the local gateway builds on this module's types.
        from purchases.local_gateway import LocalGateway

        return LocalGateway()
    raise ImproperlyConfigured(f"Unknown PAYMENTS_GATEWAY {name!r}: use 'stripe' or 'local'.")
