from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from purchases.models import OrderEvent, WebhookEvent
from tests.factories import CourseFactory
from tests.purchases.factories import OrderFactory, event, session_object

pytestmark = pytest.mark.django_db


def paid_order(**kwargs):
    kwargs.setdefault("paid_at", timezone.now())
    return OrderFactory(status="paid", payment_intent_id="pi_3TestPaid0001", **kwargs)


def test_staff_can_search_orders_by_email(client, staff, learner):
    mine = paid_order(user=learner)
    other = paid_order()
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_changelist"), {"q": "alice@"})

    assert mine.number in response.text
    assert other.number not in response.text
    assert reverse("admin:purchases_order_sales") in response.text


def test_staff_can_filter_orders_by_status(client, staff):
    paid = paid_order()
    pending = OrderFactory()
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_changelist"), {"status__exact": "paid"})

    assert paid.number in response.text
    assert pending.number not in response.text


def test_the_order_page_shows_its_history(client, staff, deliver):
    order = OrderFactory()
    deliver(event("checkout.session.completed", session_object(order)))
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_change", args=[order.pk]))

    assert "checkout.session.completed" in response.text


def test_the_refund_action_asks_stripe_and_applies_its_answer(client, staff, stripe_api):
    order = paid_order()
    client.force_login(staff)

    response = client.post(
        reverse("admin:purchases_order_changelist"),
        {"action": "refund", "_selected_action": [order.pk]},
        follow=True,
    )

    [call] = stripe_api.calls("POST", "/v1/refunds")
    assert call["params"]["payment_intent"] == "pi_3TestPaid0001"
    assert call["params"]["amount"] == str(order.amount)
    assert call["params"]["metadata[order_id]"] == str(order.pk)
    assert call["headers"]["Idempotency-Key"] == f"refund-{order.pk}-0-{order.amount}"
    assert "Refund re_" in response.text
    order.refresh_from_db()
    assert order.status == "refunded"
    requested = OrderEvent.objects.get(order=order, cause__contains="requested")
    assert requested.actor == staff
    refund = order.refunds.get()
    assert (refund.status, refund.amount, refund.created_by) == ("succeeded", order.amount, staff)


def test_a_refund_stripe_leaves_pending_waits_for_its_event(client, staff, stripe_api):
    stripe_api.refund_status = "pending"
    order = paid_order()
    client.force_login(staff)

    client.post(
        reverse("admin:purchases_order_changelist"),
        {"action": "refund", "_selected_action": [order.pk]},
    )

    order.refresh_from_db()
    assert (order.status, order.refunded_amount) == ("paid", 0)
    assert order.refunds.get().status == "pending"


def test_the_refund_action_refuses_an_unpaid_order(client, staff, stripe_api):
    order = OrderFactory()
    client.force_login(staff)

    response = client.post(
        reverse("admin:purchases_order_changelist"),
        {"action": "refund", "_selected_action": [order.pk]},
        follow=True,
    )

    assert "Pending payment" in response.text
    assert stripe_api.calls("POST", "/v1/refunds") == []


def test_the_sales_summary_shows_revenue_per_day_and_per_course(client, staff):
    course = CourseFactory(title="SQL for analysts", price_amount=2500)
    paid_order(course=course)
    paid_order(course=course, refunded_amount=500)
    OrderFactory(course=course)  # pending: no revenue
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_sales"))

    assert response.status_code == 200
    assert "SQL for analysts" in response.text
    assert "€45.00" in response.text
    assert f"{timezone.now():%Y-%m-%d}" in response.text
    assert 'class="sales-bar" style="width: 100%"' in response.text


def test_the_sales_summary_is_for_staff_only(client, learner):
    client.force_login(learner)

    response = client.get(reverse("admin:purchases_order_sales"))

    assert response["Location"].startswith(reverse("admin:login"))


def test_the_retry_action_processes_a_failed_event(client, staff):
    order = OrderFactory()
    stored = WebhookEvent.objects.create(
        stripe_event_id="evt_failed",
        type="checkout.session.completed",
        payload=event("checkout.session.completed", session_object(order), "evt_failed"),
        status="failed",
        attempts=12,
        last_error="RuntimeError: boom",
    )
    client.force_login(staff)

    client.post(
        reverse("admin:purchases_webhookevent_changelist"),
        {"action": "retry", "_selected_action": [stored.pk]},
    )

    stored.refresh_from_db()
    assert stored.status == "processed"
    order.refresh_from_db()
    assert order.status == "paid"


def test_the_sales_summary_shows_days_without_sales_as_zero(client, staff):
    paid_order(paid_at=timezone.now() - timedelta(days=3))
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_sales"))

    rows = response.context["summary"].per_day
    assert len(rows) == 31
    assert [row.revenue for row in rows[-4:]] == [4900, 0, 0, 0]


@pytest.mark.parametrize("count", [1, 5])
def test_the_sales_summary_query_count_does_not_grow_with_orders(
    client, staff, count, django_assert_num_queries
):
    for _ in range(count):
        paid_order()
    client.force_login(staff)
    client.get(reverse("admin:purchases_order_sales"))

    with django_assert_num_queries(3):  # user, per day, per course
        client.get(reverse("admin:purchases_order_sales"))


def test_the_webhook_inbox_lists_failed_events_with_their_error(client, staff):
    WebhookEvent.objects.create(
        stripe_event_id="evt_broken",
        type="charge.refunded",
        payload={},
        status="failed",
        attempts=3,
        last_error="EventNotMatched: No order matches this charge yet.",
    )
    client.force_login(staff)

    response = client.get(
        reverse("admin:purchases_webhookevent_changelist"), {"status__exact": "failed"}
    )

    assert "evt_broken" in response.text
    assert "No order matches this charge yet." in response.text


def test_the_sales_summary_with_no_sales_says_so(client, staff):
    OrderFactory()  # pending: no revenue
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_sales"))

    assert response.status_code == 200
    assert response.text.count("No paid orders in this period.") == 2


def test_the_sales_summary_counts_what_was_charged_after_a_promotion_code(client, staff):
    course = CourseFactory(title="SQL for analysts", price_amount=2500)
    paid_order(course=course, amount_paid=2000)
    paid_order(course=course, amount_paid=2000, refunded_amount=500)
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_sales"))

    [row] = response.context["summary"].per_course
    assert (row.orders, row.revenue) == (2, 3500)


def test_an_admin_refund_through_the_local_gateway_is_recorded_with_the_admin(
    client, staff, settings, deliver, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    settings.PAYMENTS_GATEWAY = "local"
    order = OrderFactory()
    deliver(event("checkout.session.completed", session_object(order)))
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:purchases_order_changelist"),
            {"action": "refund", "_selected_action": [order.pk]},
        )

    order.refresh_from_db()
    assert order.status == "refunded"
    requested = OrderEvent.objects.get(order=order, cause__contains="requested")
    assert requested.actor == staff
    refunded = OrderEvent.objects.get(order=order, to_status="refunded")
    assert requested.pk < refunded.pk  # the history reads in the order things happened


def test_a_refund_stripe_refuses_shows_its_error_and_changes_nothing(
    client, staff, stripe_api, monkeypatch
):
    import stripe

    monkeypatch.setattr(stripe, "max_network_retries", 0)
    stripe_api._route = lambda *args: (
        400,
        {
            "error": {
                "type": "invalid_request_error",
                "code": "charge_disputed",
                "message": "Charge ch_1 has been charged back; cannot issue a refund.",
            }
        },
    )
    order = paid_order()
    client.force_login(staff)

    response = client.post(
        reverse("admin:purchases_order_changelist"),
        {"action": "refund", "_selected_action": [order.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert f"Refund of {order.number} failed" in response.text
    assert "charged back" in response.text
    order.refresh_from_db()
    assert order.status == "paid"
    assert not OrderEvent.objects.filter(order=order).exists()
