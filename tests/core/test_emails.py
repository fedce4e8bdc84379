"""Templated emails are queued after commit, may carry extra headers, and all share one layout."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode
from django.urls import reverse

from core.emails import FOOTER_MARKER, queue_email

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


# --- One layout for every email ---------------------------------------------------------------

EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates"


def layout_chain(name: str) -> list[str]:
    """The templates a template extends, nearest first."""
    chain = []
    nodes = get_template(name).template.nodelist
    while extends := nodes.get_nodes_by_type(ExtendsNode):
        chain.append(extends[0].parent_name.resolve({}))
        nodes = get_template(chain[-1]).template.nodelist
    return chain


def email_bodies() -> list[str]:
    emails = [p for p in (EMAIL_TEMPLATES / "emails").iterdir() if p.suffix in {".html", ".txt"}]
    account = [
        p for p in (EMAIL_TEMPLATES / "account" / "email").iterdir() if "_message." in p.name
    ]
    return sorted(
        str(p.relative_to(EMAIL_TEMPLATES))
        for p in [*emails, *account]
        if not p.name.startswith(("_", "base_")) and not p.stem.endswith("_subject")
    )


@pytest.mark.parametrize("name", email_bodies())
def test_every_email_template_extends_the_one_base_layout(name):
    base = "emails/base_email.html" if name.endswith(".html") else "emails/base_email.txt"
    assert base in layout_chain(name)


def test_every_email_of_sign_up_and_password_reset_carries_the_base_footer(client, learner):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
            "accept_terms": "on",
        },
    )
    client.post(reverse("account_reset_password"), {"email": learner.email})

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        [(html, _)] = message.alternatives
        assert FOOTER_MARKER in html
        assert reverse("legal:page", args=["privacy"]) in html
        assert "\n-- \nData School\n" in message.body


def test_a_blog_email_has_the_unsubscribe_line_in_the_base_footer():
    html = render_to_string(
        "emails/reply_posted.html",
        {"site_url": "https://example.com", "unsubscribe_url": "https://example.com/u/x/"},
    )
    text = render_to_string(
        "emails/reply_posted.txt",
        {"site_url": "https://example.com", "unsubscribe_url": "https://example.com/u/x/"},
    )

    footer = html[html.index(FOOTER_MARKER) :]
    assert 'href="https://example.com/u/x/"' in footer
    assert "Unsubscribe from blog emails" in footer
    assert text.index("Stop these emails: https://example.com/u/x/") > text.index("\n-- \n")
