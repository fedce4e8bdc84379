"""Buying a course through the local test gateway, in a real browser."""

import re

import pytest
from django.urls import reverse

from learning.models import Enrollment
from purchases.models import Order
from tests.e2e.conftest import login
from tests.factories import DEFAULT_PASSWORD, CourseFactory, LessonFactory


@pytest.fixture
def local_payments(settings):
    settings.DEBUG = True
    settings.PAYMENTS_GATEWAY = "local"


def press_buy(page, base_url, course) -> None:
    """Open the course page and press its Buy button (a POST form with a CSRF token)."""
    page.goto(base_url + reverse("courses:detail", args=[course.slug]))
    page.get_by_role("button", name=re.compile(r"^Buy for ")).click()
    page.wait_for_url(re.compile(r"/checkout/local/"))


def fill_card(page, number: str) -> None:
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry (MM/YY)").fill("12/34")
    page.get_by_label("CVC").fill("123")
    page.get_by_label("Name on card").fill("Alice Learner")


def test_a_learner_buys_a_course_with_a_test_card_and_starts_learning(
    page, base_url, shoot, learner, local_payments
):
    course = CourseFactory(title="Pandas in practice", price_amount=4900)
    lesson = LessonFactory(section__course=course, title="Loading a CSV")
    login(page, base_url, learner.email, DEFAULT_PASSWORD)

    press_buy(page, base_url, course)
    assert page.get_by_role("heading", name="Pay for Pandas in practice").is_visible()
    fill_card(page, "4242 4242 4242 4242")
    shoot("purchase-local-checkout")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()

    page.wait_for_url(re.compile(r"/checkout/success/"))
    start = page.get_by_role("link", name="Start learning")
    assert start.is_visible()
    assert "Payment received" in page.content()
    shoot("purchase-success")
    start.click()

    page.wait_for_url(re.compile(reverse("learning:lesson", args=[course.slug, lesson.slug]) + "$"))
    assert page.get_by_role("heading", name="Loading a CSV").is_visible()
    assert Enrollment.objects.filter(user=learner, course=course, revoked_at=None).count() == 1
    assert Order.objects.get(course=course).status == "paid"

    page.goto(base_url + reverse("purchases:orders"))
    assert page.get_by_role("cell", name="Paid").is_visible()
    shoot("purchase-my-orders")


def test_a_declined_card_shows_a_clear_message_and_grants_nothing(
    page, base_url, shoot, learner, local_payments
):
    course = CourseFactory(title="SQL for analysts", price_amount=2900)
    login(page, base_url, learner.email, DEFAULT_PASSWORD)

    press_buy(page, base_url, course)
    fill_card(page, "4000 0000 0000 0002")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()

    message = page.get_by_text("Your card was declined")
    message.wait_for()
    assert message.is_visible()
    shoot("purchase-declined")
    assert not Enrollment.objects.filter(user=learner, course=course).exists()
    assert Order.objects.get(course=course).status == "pending"


def test_a_learner_resumes_then_cancels_an_abandoned_checkout_from_my_orders(
    page, base_url, shoot, learner, local_payments
):
    course = CourseFactory(title="Statistics basics", price_amount=3900)
    login(page, base_url, learner.email, DEFAULT_PASSWORD)
    press_buy(page, base_url, course)
    order = Order.objects.get(course=course)

    page.goto(base_url + reverse("purchases:orders"))
    shoot("purchase-pending-order")
    page.get_by_role("button", name=f"Resume payment for order {order.number}").click()
    page.wait_for_url(re.compile(r"/checkout/local/"))
    assert page.get_by_role("heading", name="Pay for Statistics basics").is_visible()

    page.goto(base_url + reverse("purchases:orders"))
    page.get_by_role("button", name=f"Cancel order {order.number}").click()
    message = page.get_by_text(f"Order {order.number} is cancelled")
    message.wait_for()
    assert message.is_visible()
    shoot("purchase-order-cancelled")
    assert Order.objects.get(pk=order.pk).status == "closed"
    assert page.get_by_role("button", name=re.compile("Resume payment")).count() == 0
