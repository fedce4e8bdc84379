import pytest
from django.db import IntegrityError

from purchases.models import Order, OrderEvent
from purchases.services.transitions import TRANSITIONS, apply_transition
from tests.purchases.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_every_status_has_a_row_in_the_transition_table():
    assert set(TRANSITIONS) == set(Order.Status.values)


def test_an_allowed_transition_changes_the_status_and_is_recorded():
    order = OrderFactory()

    assert apply_transition(order=order, to="paid", cause="checkout.session.completed")

    order.refresh_from_db()
    assert order.status == "paid"
    assert order.paid_at is not None
    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status) == ("pending", "paid")


def test_an_impossible_transition_is_refused_logged_and_never_raises(caplog):
    order = OrderFactory(status="refunded")

    assert not apply_transition(order=order, to="paid", cause="late completion")

    order.refresh_from_db()
    assert order.status == "refunded"
    assert "Refused order transition" in caplog.text
    assert OrderEvent.objects.get(order=order).cause.startswith("refused → paid")


def test_a_payment_for_a_closed_order_is_allowed():
    order = OrderFactory(status="closed")

    assert apply_transition(order=order, to="paid", cause="late payment")


def test_a_learner_has_at_most_one_pending_order_per_course():
    order = OrderFactory()

    with pytest.raises(IntegrityError):
        OrderFactory(user=order.user, course=order.course)


def test_closed_orders_do_not_block_a_new_pending_order():
    order = OrderFactory(status="closed")

    OrderFactory(user=order.user, course=order.course)

    assert Order.objects.filter(user=order.user).count() == 2


def test_the_database_refuses_a_negative_amount():
    with pytest.raises(IntegrityError):
        OrderFactory(amount=-1)


def test_order_numbers_are_unique_and_readable():
    numbers = {OrderFactory().number for _ in range(20)}

    assert len(numbers) == 20
    assert all(n.startswith("DS-") and len(n) == 11 for n in numbers)
