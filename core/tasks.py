"""Celery tasks shared by every app."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def deliver_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None,
    from_email: str,
    headers: dict[str, str] | None = None,
) -> None:
    # headers defaults to None so that messages queued before it existed still deliver.
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=from_email, to=to, headers=headers or {}
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
