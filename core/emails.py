"""Sending email: every message is rendered in the web process and delivered by a Celery task."""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from core.tasks import deliver_email, enqueue

# On the footer of templates/emails/base_email.html, which every HTML email extends.
FOOTER_MARKER = "data-email-footer"


def queue_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Queue an already rendered message for delivery once the current transaction commits.

    `headers` are extra message headers, e.g. List-Unsubscribe; they travel through the task
    as JSON, so keys and values are strings.
    """
    transaction.on_commit(
        partial(
            enqueue,
            deliver_email,
            to=list(to),
            subject=" ".join(subject.split()),
            text=text,
            html=html,
            from_email=settings.DEFAULT_FROM_EMAIL,
            headers=dict(headers) if headers else None,
        )
    )


def send_templated_email(
    *, to: list[str], template: str, context: dict, headers: dict[str, str] | None = None
) -> None:
    """Render templates/emails/<template>_subject.txt, .txt and .html, and queue the message."""
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    queue_email(to=to, subject=subject, text=text, html=html, headers=headers)
