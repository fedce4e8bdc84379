"""Celery tasks: thin, idempotent wrappers that take primary keys and call a service."""

from celery import shared_task

from purchases import services
from purchases.models import Order


@shared_task(acks_late=True)
def process_webhook_event(event_pk: int) -> str:
    """Process one stored event; failures are recorded on the row and retried by the sweep."""
    event = services.process_event(event_pk=event_pk)
    return event.status if event else "missing"


@shared_task
def retry_unprocessed_events() -> int:
    return services.retry_unprocessed_events()


@shared_task
def reconcile_pending_orders() -> int:
    return services.reconcile_pending_orders()


@shared_task(autoretry_for=(Order.DoesNotExist,), max_retries=3, retry_backoff=True)
def send_receipt(order_pk: int) -> None:
    order = Order.objects.select_related("course").get(pk=order_pk)
    services.send_receipt(order=order)
