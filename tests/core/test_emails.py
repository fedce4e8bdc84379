"""Templated emails are queued after commit and may carry extra headers."""

import pytest
from django.core import mail
from django.db import transaction

from core.emails import queue_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_extra_headers_reach_the_delivered_message():
    with transaction.atomic():
        queue_email(
            to=["learner@example.com"],
            subject="Hello",
            text="Body",
            headers={
                "List-Unsubscribe": "<https://example.com/u/abc/>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )

    [message] = mail.outbox
    sent = message.message()
    assert sent["List-Unsubscribe"] == "<https://example.com/u/abc/>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_message_without_extra_headers_is_delivered_as_before():
    with transaction.atomic():
        queue_email(to=["learner@example.com"], subject="Hello   there", text="Body")

    [message] = mail.outbox
    assert message.subject == "Hello there"
    assert message.message()["List-Unsubscribe"] is None
