"""Stripe's HTTP API stubbed at the library's HTTP client layer, and webhook delivery."""

import itertools
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe
from django.urls import reverse
from stripe._http_client import HTTPClient

from tests.factories import CourseFactory
from tests.purchases.factories import WEBHOOK_SECRET, signed


class FakeStripe(HTTPClient):
    """Answers the few Stripe endpoints we call with bodies shaped as Stripe documents them."""

    name = "fake"

    def __init__(self):
        super().__init__()
        self.requests: list[dict] = []
        self.sessions: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.refund_status = "succeeded"
        self._ids = itertools.count(1)

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        params = dict(parse_qsl(post_data or parts.query or ""))
        self.requests.append(
            {
                "method": method.upper(),
                "path": parts.path,
                "headers": dict(headers),
                "params": params,
            }
        )
        status, body = self._route(method.upper(), parts.path, params)
        return json.dumps(body), status, {"Request-Id": f"req_{next(self._ids)}"}

    def close(self):
        pass

    def _route(self, method, path, params):
        if method == "POST" and path == "/v1/checkout/sessions":
            session_id = f"cs_test_a1{next(self._ids):020d}"
            amount = int(params["line_items[0][price_data][unit_amount]"])
            session = {
                "id": session_id,
                "object": "checkout.session",
                "mode": "payment",
                "status": "open",
                "payment_status": "unpaid",
                "amount_subtotal": amount,
                "amount_total": amount,
                "currency": params["line_items[0][price_data][currency]"],
                "client_reference_id": params.get("client_reference_id"),
                "customer_email": params.get("customer_email"),
                "metadata": {
                    k[len("metadata[") : -1]: v
                    for k, v in params.items()
                    if k.startswith("metadata[")
                },
                "payment_intent": None,
                "success_url": params["success_url"],
                "cancel_url": params["cancel_url"],
                "url": f"https://checkout.stripe.com/c/pay/{session_id}#fidkdWxOYHwnPyd1blpxYHZxWjA0",
            }
            self.sessions[session_id] = session
            return 200, session
        if (
            method == "POST"
            and path.startswith("/v1/checkout/sessions/")
            and path.endswith("/expire")
        ):
            session = self.sessions.get(path.split("/")[-2])
            if session is None or session["status"] != "open":
                return 400, {
                    "error": {
                        "type": "invalid_request_error",
                        "message": 'Only Checkout Sessions with a status in ["open"] can be '
                        "expired.",
                    }
                }
            session["status"] = "expired"
            return 200, session
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            session_id = path.rsplit("/", 1)[1]
            if session_id not in self.sessions:
                return 404, {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "resource_missing",
                        "message": f"No such checkout.session: '{session_id}'",
                    }
                }
            return 200, self.sessions[session_id]
        if method == "POST" and path == "/v1/refunds":
            refund = {
                "id": f"re_3Test{next(self._ids):010d}",
                "object": "refund",
                "amount": int(params["amount"]),
                "balance_transaction": None,
                "charge": None,
                "created": 1_700_000_100,
                "currency": "eur",
                "metadata": {
                    k[len("metadata[") : -1]: v
                    for k, v in params.items()
                    if k.startswith("metadata[")
                },
                "payment_intent": params.get("payment_intent"),
                "reason": None,
                "status": self.refund_status,
            }
            self.refunds.append(refund)
            return 200, refund
        if method == "GET" and path == "/v1/refunds":
            data = [r for r in self.refunds if r["charge"] == params.get("charge")]
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/refunds"}
        return 404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}

    def calls(self, method: str, path: str) -> list[dict]:
        return [r for r in self.requests if r["method"] == method and r["path"] == path]

    def pay(self, session_id: str, payment_intent: str = "pi_3TestPaid0001") -> dict:
        self.sessions[session_id].update(
            status="complete", payment_status="paid", payment_intent=payment_intent
        )
        return self.sessions[session_id]


@pytest.fixture
def stripe_api(settings):
    """The Stripe gateway with a test key; every API call is answered by FakeStripe."""
    settings.PAYMENTS_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    previous = stripe.default_http_client
    fake = FakeStripe()
    stripe.default_http_client = fake
    yield fake
    stripe.default_http_client = previous


@pytest.fixture
def course(db):
    return CourseFactory(title="Pandas in practice", price_amount=4900, currency="EUR")


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """Post an event to the webhook as Stripe would (signed raw JSON), then run what the view
    enqueued after commit (Celery is eager in tests)."""

    def _deliver(payload, secret: str = WEBHOOK_SECRET):
        body, header = signed(payload, secret)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("purchases:stripe_webhook"),
                data=body,
                content_type="application/json",
                headers={"Stripe-Signature": header},
            )

    return _deliver
