"""A payment that does not match its order is held for review: not fulfilled, not asked about
again and again, explained to the learner, and settled by staff (accept or refund)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import Enrollment
from purchases import tasks
from purchases.gateways import CheckoutSession
from purchases.models import Order, OrderEvent
from purchases.services.fulfilment import fulfil_order
from tests.purchases.factories import OrderFactory, event, session_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client, learner, course, stripe_api):
    """The learner went through Buy; Stripe took 1.00 EUR instead of the 49.00 EUR price."""
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[course.slug]))
    order = Order.objects.get()
    stripe_api.pay(order.checkout_session_id)
    stripe_api.sessions[order.checkout_session_id].update(amount_subtotal=100, amount_total=100)
    return order


def success_url(order) -> str:
    return reverse("purchases:success") + f"?session_id={order.checkout_session_id}"


def test_the_return_page_tells_the_learner_their_payment_is_being_checked(client, order):
    response = client.get(success_url(order))

    assert Order.objects.get(pk=order.pk).status == "needs_review"
    assert "Your payment is being checked" in response.text
    assert "You do not need to pay again" in response.text
    assert "Payment processing" not in response.text  # no endless polling


def test_the_reconciler_leaves_an_order_under_review_alone(client, order, stripe_api, caplog):
    client.get(success_url(order))
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(hours=2))
    stripe_api.requests.clear()
    caplog.clear()

    assert tasks.reconcile_pending_orders.delay().get() == 0

    assert stripe_api.requests == []
    assert "does not match" not in caplog.text


def test_buy_does_not_send_the_learner_back_to_the_paid_session(client, order, course, stripe_api):
    client.get(success_url(order))

    response = client.post(reverse("purchases:checkout", args=[course.slug]), follow=True)

    assert "checking by hand" in response.text
    assert "You do not need to pay again" in response.text
    assert Order.objects.count() == 1
    assert len(stripe_api.calls("POST", "/v1/checkout/sessions")) == 1


def test_my_orders_explains_an_order_under_review(client, order):
    client.get(success_url(order))

    listing = client.get(reverse("purchases:orders"))
    detail = client.get(reverse("purchases:order_detail", args=[order.number]))

    for response in (listing, detail):
        assert "Payment under review" in response.text
        assert "does not match this order" in response.text
        assert "Resume payment" not in response.text


def held_order():
    order = OrderFactory()
    session = CheckoutSession.from_stripe(
        session_object(order, amount_total=100, amount_subtotal=100)
    )
    fulfil_order(order_id=order.pk, session=session, cause="test")
    return Order.objects.get(pk=order.pk)


def test_staff_accept_a_payment_under_review_and_the_learner_is_enrolled(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    order = held_order()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:purchases_order_changelist"),
            {"action": "accept_reviewed_payment", "_selected_action": [order.pk]},
        )

    order.refresh_from_db()
    assert order.status == "paid"
    assert Enrollment.objects.filter(user=order.user, course=order.course).exists()
    accepted = OrderEvent.objects.get(order=order, to_status="paid")
    assert accepted.from_status == "needs_review"
    assert accepted.actor == staff
    assert staff.email in accepted.cause
    assert [m.to for m in mailoutbox] == [[order.email]]


def test_accepting_an_order_that_is_not_under_review_is_refused(client, staff):
    order = OrderFactory()
    client.force_login(staff)

    response = client.post(
        reverse("admin:purchases_order_changelist"),
        {"action": "accept_reviewed_payment", "_selected_action": [order.pk]},
        follow=True,
    )

    assert "is Pending payment" in response.text
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_staff_refund_a_payment_under_review_through_stripe(
    client, staff, stripe_api, django_capture_on_commit_callbacks
):
    order = held_order()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:purchases_order_changelist"),
            {"action": "refund", "_selected_action": [order.pk]},
        )

    [call] = stripe_api.calls("POST", "/v1/refunds")
    assert call["params"]["payment_intent"] == order.payment_intent_id
    assert call["params"]["amount"] == "100"  # what was taken, not the order's price
    order.refresh_from_db()
    assert order.status == "refunded"
    assert not Enrollment.objects.filter(user=order.user).exists()


def test_refunding_an_order_under_review_keeps_access_bought_with_another_order(
    client, staff, stripe_api, deliver
):
    order = held_order()
    other = OrderFactory(user=order.user, course=order.course)
    deliver(event("checkout.session.completed", session_object(other)))
    client.force_login(staff)

    client.post(
        reverse("admin:purchases_order_changelist"),
        {"action": "refund", "_selected_action": [order.pk]},
    )

    assert Order.objects.get(pk=order.pk).status == "refunded"
    assert Enrollment.objects.get(user=order.user).revoked_at is None


def test_a_second_mismatching_event_for_an_order_under_review_changes_nothing(deliver):
    order = held_order()

    deliver(
        event(
            "checkout.session.completed",
            session_object(order, amount_total=100, amount_subtotal=100),
        )
    )

    assert OrderEvent.objects.filter(order=order, to_status="needs_review").count() == 1
