"""Staff refund part of an order from its admin page: validated against what is left."""

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import Enrollment
from purchases.models import Order, OrderEvent
from tests.factories import EnrollmentFactory
from tests.purchases.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(course):
    order = OrderFactory(
        course=course, status="paid", paid_at=timezone.now(), payment_intent_id="pi_3TestPaid0001"
    )
    EnrollmentFactory(user=order.user, course=course)
    return order


def refund_url(order) -> str:
    return reverse("admin:purchases_order_refund", args=[order.pk])


def has_access(order) -> bool:
    return Enrollment.objects.filter(
        user=order.user, course=order.course, revoked_at__isnull=True
    ).exists()


def test_the_order_page_links_to_the_refund_page(client, staff, order):
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_change", args=[order.pk]))

    assert refund_url(order) in response.text


def test_the_refund_page_shows_what_is_left_to_refund(client, staff, order):
    client.force_login(staff)

    response = client.get(refund_url(order))

    assert response.status_code == 200
    assert "€49.00" in response.text
    assert '<label class="required" for="id_amount">' in response.text


def test_a_partial_refund_goes_through_stripe_and_keeps_access(
    client, staff, order, stripe_api, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(refund_url(order), {"amount": "1500"})

    assert response.status_code == 302
    [call] = stripe_api.calls("POST", "/v1/refunds")
    assert call["params"]["amount"] == "1500"
    assert call["headers"]["Idempotency-Key"] == f"refund-{order.pk}-0-1500"
    order.refresh_from_db()
    assert (order.status, order.refunded_amount) == ("paid", 1500)
    assert has_access(order)
    assert order.refunds.get().created_by == staff
    assert OrderEvent.objects.filter(order=order, actor=staff).exists()
    [mail] = mailoutbox
    assert mail.to == [order.email]
    assert "partial refund" in mail.subject


def test_refunding_the_rest_revokes_access(client, staff, order, stripe_api):
    client.force_login(staff)
    client.post(refund_url(order), {"amount": "1500"})

    client.post(refund_url(order), {"amount": str(order.amount - 1500)})

    order.refresh_from_db()
    assert (order.status, order.refunded_amount) == ("refunded", order.amount)
    assert not has_access(order)
    keys = [c["headers"]["Idempotency-Key"] for c in stripe_api.calls("POST", "/v1/refunds")]
    assert keys == [f"refund-{order.pk}-0-1500", f"refund-{order.pk}-1500-3400"]


@pytest.mark.parametrize(
    "amount, error",
    [
        ("0", "greater than or equal to 1"),
        ("-5", "greater than or equal to 1"),
        ("4901", "At most 4900 cents are left"),
        ("12.50", "Enter a whole number"),
        ("", "This field is required"),
        ("9" * 30, "At most 4900 cents are left"),
    ],
)
def test_an_invalid_amount_is_a_form_error(client, staff, order, stripe_api, amount, error):
    client.force_login(staff)

    response = client.post(refund_url(order), {"amount": amount})

    assert response.status_code == 200
    assert error in response.text
    assert stripe_api.calls("POST", "/v1/refunds") == []


def test_an_amount_above_what_is_left_after_a_refund_is_a_form_error(
    client, staff, order, stripe_api
):
    client.force_login(staff)
    client.post(refund_url(order), {"amount": "4000"})

    response = client.post(refund_url(order), {"amount": "1000"})

    assert response.status_code == 200
    assert "At most 900 cents are left" in response.text
    assert len(stripe_api.calls("POST", "/v1/refunds")) == 1


def test_a_refund_still_pending_counts_against_what_is_left(client, staff, order, stripe_api):
    stripe_api.refund_status = "pending"
    client.force_login(staff)
    client.post(refund_url(order), {"amount": "4000"})

    response = client.post(refund_url(order), {"amount": "1000"})

    assert "At most 900 cents are left" in response.text


def test_a_refund_stripe_refuses_is_a_form_error(client, staff, order, stripe_api, monkeypatch):
    import stripe

    monkeypatch.setattr(stripe, "max_network_retries", 0)
    stripe_api._route = lambda *args: (
        400,
        {"error": {"type": "invalid_request_error", "message": "Charge has been charged back."}},
    )
    client.force_login(staff)

    response = client.post(refund_url(order), {"amount": "1000"})

    assert response.status_code == 200
    assert "charged back" in response.text
    assert Order.objects.get(pk=order.pk).refunded_amount == 0


def test_an_unpaid_order_cannot_be_refunded(client, staff, stripe_api):
    order = OrderFactory()
    client.force_login(staff)

    response = client.post(refund_url(order), {"amount": "1000"})

    assert response.status_code == 200
    assert "is Pending payment" in response.text
    assert stripe_api.calls("POST", "/v1/refunds") == []


def test_the_refund_page_is_for_staff_only(client, learner, order, stripe_api):
    client.force_login(learner)

    response = client.post(refund_url(order), {"amount": "1000"})

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert stripe_api.calls("POST", "/v1/refunds") == []


def test_an_unknown_order_is_a_404(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_refund", args=[999999]))

    assert response.status_code == 404
