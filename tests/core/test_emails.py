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


def test_a_broker_outage_loses_the_email_but_not_the_page(client, monkeypatch, caplog):
    """Signing up commits the account, then queues the email: Redis down must not 500."""
    from core import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.deliver_email, "delay", broker_down)
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    assert mail.outbox == []
    assert "Could not enqueue a task" in caplog.text
