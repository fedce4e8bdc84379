"""Celery tasks shared by every app."""

import logging

from celery import Task, current_app, shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


def enqueue(task: Task | str, *args, **kwargs) -> None:
    """Send a task to the broker (call it from transaction.on_commit); an outage is logged.

    The data the task works on is already committed, so a broker (Redis) outage must not turn
    the request into a 500. (on_commit(robust=True) would do, but Django 5.2 fails to log a
    partial.)

    A service may name its task ("purchases.tasks.send_receipt") instead of importing it: an
    app's tasks module imports its services, so a service importing the task would be an
    import cycle.
    """
    if isinstance(task, str):
        # Outside the try: a name no app defines is a bug to see, not an outage to log.
        task = task_named(task)
    try:
        task.delay(*args, **kwargs)
    except Exception:
        logger.exception("Could not enqueue a task", extra={"task": task.name, "task_args": args})


def task_named(name: str) -> Task:
    """The registered task of that name; KeyError for a name no app defines."""
    if name not in current_app.tasks:
        # A web process registers a tasks module only once something imports it; load them
        # all as the worker does at start (autodiscover over INSTALLED_APPS).
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


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
