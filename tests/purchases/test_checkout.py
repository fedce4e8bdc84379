import pytest
import stripe
from django.urls import reverse

from purchases.models import Order
from tests.factories import CourseFactory, EnrollmentFactory
from tests.purchases.factories import OrderFactory

pytestmark = pytest.mark.django_db


def first_message(response) -> str:
    return str(next(iter(response.wsgi_request._messages)))


def buy(client, course):
    return client.post(reverse("purchases:checkout", args=[course.slug]))


def test_buying_creates_a_pending_order_and_redirects_to_stripe_checkout(
    client, learner, course, stripe_api
):
    client.force_login(learner)

    response = buy(client, course)

    order = Order.objects.get()
    assert order.status == "pending"
    assert (order.amount, order.currency, order.email) == (4900, "EUR", learner.email)
    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert response["Location"] == order.checkout_url


def test_the_checkout_session_is_created_as_stripe_expects(client, learner, course, stripe_api):
    client.force_login(learner)

    buy(client, course)

    order = Order.objects.get()
    [call] = stripe_api.calls("POST", "/v1/checkout/sessions")
    assert call["headers"]["Idempotency-Key"] == f"order-{order.pk}"
    assert call["headers"]["Authorization"] == "Bearer sk_test_fake"
    params = call["params"]
    assert params["mode"] == "payment"
    assert params["client_reference_id"] == str(order.pk)
    assert params["metadata[order_id]"] == str(order.pk)
    assert params["payment_intent_data[metadata][order_id]"] == str(order.pk)
    assert params["allow_promotion_codes"] == "true"
    assert params["customer_email"] == learner.email
    assert params["line_items[0][price_data][unit_amount]"] == "4900"
    assert params["line_items[0][price_data][currency]"] == "eur"
    assert params["line_items[0][price_data][product_data][name]"] == "Pandas in practice"
    assert params["line_items[0][quantity]"] == "1"
    assert params["success_url"].endswith(
        reverse("purchases:success") + "?session_id={CHECKOUT_SESSION_ID}"
    )
    assert params["cancel_url"].endswith(reverse("purchases:cancel", args=[course.slug]))
    assert order.checkout_session_id in stripe_api.sessions


def test_a_price_change_after_ordering_does_not_change_the_order(
    client, learner, course, stripe_api
):
    client.force_login(learner)
    buy(client, course)

    course.price_amount = 9900
    course.save()
    buy(client, course)

    assert Order.objects.get().amount == 4900


def test_a_second_click_reuses_the_pending_order_and_its_session(
    client, learner, course, stripe_api
):
    client.force_login(learner)

    first = buy(client, course)
    second = buy(client, course)

    assert Order.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert len(stripe_api.calls("POST", "/v1/checkout/sessions")) == 1


def test_an_enrolled_learner_gets_no_order_and_a_link_to_study(client, learner, course, stripe_api):
    EnrollmentFactory(user=learner, course=course, source="admin")
    client.force_login(learner)

    response = buy(client, course)

    assert not Order.objects.exists()
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    message = first_message(response)
    assert "already have this course" in message
    assert reverse("learning:resume", args=[course.slug]) in message
    assert stripe_api.requests == []


def test_a_learner_whose_access_was_revoked_can_buy_again(client, learner, course, stripe_api):
    from django.utils import timezone

    EnrollmentFactory(user=learner, course=course, revoked_at=timezone.now())
    client.force_login(learner)

    assert buy(client, course).status_code == 303
    assert Order.objects.count() == 1


def test_a_free_course_is_not_sold(client, learner, stripe_api):
    course = CourseFactory(price_amount=0)
    client.force_login(learner)

    response = buy(client, course)

    assert response["Location"] == course.get_absolute_url()
    assert not Order.objects.exists()
    assert "free" in first_message(response)


def test_a_draft_course_cannot_be_bought(client, learner, stripe_api):
    course = CourseFactory(status="draft", published_at=None)
    client.force_login(learner)

    assert buy(client, course).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, course, stripe_api):
    response = buy(client, course)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Order.objects.exists()


def test_opening_the_checkout_url_without_posting_goes_back_to_the_course(
    client, learner, course, stripe_api
):
    client.force_login(learner)

    response = client.get(reverse("purchases:checkout", args=[course.slug]))

    assert response["Location"] == course.get_absolute_url()
    assert not Order.objects.exists()


def test_buying_requires_a_csrf_token(learner, course, stripe_api):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    assert buy(client, course).status_code == 403


def test_a_stripe_outage_shows_a_message_and_keeps_the_order_for_a_retry(
    client, learner, course, stripe_api
):
    stripe_api._route = lambda *args: (500, {"error": {"type": "api_error", "message": "down"}})
    client.force_login(learner)

    response = buy(client, course)

    assert response["Location"] == course.get_absolute_url()
    assert "could not be reached" in first_message(response)
    assert Order.objects.get().checkout_session_id is None


def test_cancelling_returns_to_the_course_and_leaves_the_order_pending(client, learner, course):
    order = OrderFactory(user=learner, course=course)
    client.force_login(learner)

    response = client.get(reverse("purchases:cancel", args=[course.slug]), follow=False)

    assert response["Location"] == course.get_absolute_url()
    assert "cancelled" in first_message(response)
    order.refresh_from_db()
    assert order.status == "pending"


STRIPE_ERRORS = {
    "server-error": (500, {"error": {"type": "api_error", "message": "Something went wrong."}}),
    "request-failed": (
        402,
        {
            "error": {
                "type": "invalid_request_error",
                "code": "request_failed",
                "message": "The request could not be completed.",
            }
        },
    ),
    "not-json": (502, "<html><body>Bad gateway</body></html>"),
}


@pytest.mark.parametrize("error", STRIPE_ERRORS.values(), ids=STRIPE_ERRORS.keys())
def test_a_stripe_error_leaves_the_order_pending_with_a_clear_message(
    client, learner, course, stripe_api, error, monkeypatch
):
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    stripe_api._route = lambda *args: error
    client.force_login(learner)

    response = client.post(reverse("purchases:checkout", args=[course.slug]), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == course.get_absolute_url()
    assert "You have not been charged" in response.text
    assert "try again" in response.text
    order = Order.objects.get()
    assert order.status == "pending"
    assert order.events.filter(cause__startswith="checkout could not start").count() == 1


def test_buying_again_after_a_stripe_error_asks_with_a_fresh_idempotency_key(
    client, learner, course, stripe_api, monkeypatch
):
    # Stripe replays a saved 500 for the same key: the retry must not reuse the failed one.
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    real_route = stripe_api._route
    stripe_api._route = lambda *args: STRIPE_ERRORS["server-error"]
    client.force_login(learner)
    buy(client, course)
    stripe_api._route = real_route

    response = buy(client, course)

    order = Order.objects.get()
    assert response.status_code == 303
    assert response["Location"] == order.checkout_url
    keys = [
        c["headers"]["Idempotency-Key"] for c in stripe_api.calls("POST", "/v1/checkout/sessions")
    ]
    assert keys == [f"order-{order.pk}", f"order-{order.pk}-retry-1"]
