import pytest
from django.urls import reverse

from tests.purchases.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_my_orders_lists_my_orders_with_their_status(client, learner):
    paid = OrderFactory(user=learner, status="paid")
    OrderFactory(user=learner, status="closed")
    client.force_login(learner)

    response = client.get(reverse("purchases:orders"))

    assert paid.number in response.text
    assert paid.course.title in response.text
    assert "€49.00" in response.text
    assert "Closed (not paid)" in response.text


def test_my_orders_does_not_show_other_learners_orders(client, learner, other_learner):
    theirs = OrderFactory(user=other_learner)
    client.force_login(learner)

    response = client.get(reverse("purchases:orders"))

    assert theirs.number not in response.text
    assert "no orders yet" in response.text


def test_my_orders_requires_logging_in(client):
    response = client.get(reverse("purchases:orders"))

    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("count", [1, 6])
def test_my_orders_uses_the_same_number_of_queries_for_any_number_of_orders(
    client, learner, count, django_assert_num_queries
):
    OrderFactory.create_batch(count, user=learner, status="closed")
    client.force_login(learner)
    client.get(reverse("purchases:orders"))  # warm the session

    with django_assert_num_queries(2):  # user, orders joined with courses
        client.get(reverse("purchases:orders"))


def test_the_receipt_shows_number_course_amount_and_date(client, learner):
    order = OrderFactory(user=learner, status="paid")
    order.paid_at = order.created_at
    order.save()
    client.force_login(learner)

    response = client.get(order.get_absolute_url())

    assert response.status_code == 200
    assert f"Receipt {order.number}" in response.text
    assert order.course.title in response.text
    assert "€49.00" in response.text
    assert f"{order.paid_at:%Y}" in response.text
    assert "Start learning" in response.text


def test_another_learner_gets_404_for_my_receipt(client, learner, other_learner):
    order = OrderFactory(user=learner, status="paid")
    client.force_login(other_learner)

    assert client.get(order.get_absolute_url()).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_for_a_receipt(client, learner):
    order = OrderFactory(user=learner, status="paid")

    response = client.get(order.get_absolute_url())

    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("number", ["DS-NOTREAL", "DS-%00", "%00", "x" * 300])
def test_a_bogus_order_number_is_a_404(client, learner, number):
    client.force_login(learner)

    response = client.get(reverse("purchases:orders") + number + "/")

    assert response.status_code == 404
