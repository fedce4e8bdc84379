"""The receipt email: what it says, and that a learner gets it once."""

import pytest
from django.conf import settings
from django.utils import timezone

from purchases.gateways import CheckoutSession
from purchases.services.fulfilment import fulfil_order
from tests.purchases.factories import OrderFactory, event, session_object

pytestmark = pytest.mark.django_db

COMPLETED = "checkout.session.completed"


def test_the_receipt_names_the_order_course_amount_and_date(deliver, mailoutbox):
    order = OrderFactory()

    deliver(event(COMPLETED, session_object(order)))

    [receipt] = mailoutbox
    today = f"{timezone.now():%-d %B %Y}"
    html = receipt.alternatives[0][0]
    for part in (receipt.body, html):
        assert order.number in part
        assert order.course.title in part
        assert "€49.00" in part
        assert today in part
        assert settings.SITE_URL + order.get_absolute_url() in part


def test_the_receipt_is_sent_once_when_fulfilment_runs_twice(
    deliver, mailoutbox, django_capture_on_commit_callbacks
):
    order = OrderFactory()
    session = CheckoutSession.from_stripe(session_object(order))

    with django_capture_on_commit_callbacks(execute=True):
        fulfil_order(order_id=order.pk, session=session, cause="customer returned")
    deliver(event(COMPLETED, session_object(order)))
    with django_capture_on_commit_callbacks(execute=True):
        fulfil_order(order_id=order.pk, session=session, cause="customer returned")

    assert len(mailoutbox) == 1


def test_a_late_payment_for_a_closed_order_gets_a_receipt(deliver, mailoutbox):
    order = OrderFactory(status="closed")

    deliver(event(COMPLETED, session_object(order)))

    assert [m.to for m in mailoutbox] == [[order.email]]
