"""Celery tasks: thin, idempotent wrappers that take primary keys and call a service."""

import logging

from celery import shared_task

from purchases.models import Order, Refund
from purchases.services import fulfilment, reconcile, refunds, webhooks

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def process_webhook_event(event_pk: int) -> str:
    """Process one stored event; failures are recorded on the row and retried by the sweep."""
    event = webhooks.process_event(event_pk=event_pk)
    return event.status if event else "missing"


@shared_task
def retry_unprocessed_events() -> int:
    return webhooks.retry_unprocessed_events()


@shared_task
def reconcile_pending_orders() -> int:
    return reconcile.reconcile_pending_orders()


@shared_task(autoretry_for=(Order.DoesNotExist,), max_retries=3, retry_backoff=True)
def send_receipt(order_pk: int) -> None:
    order = Order.objects.select_related("course").get(pk=order_pk)
    fulfilment.send_receipt(order=order)


@shared_task(autoretry_for=(Refund.DoesNotExist,), max_retries=3, retry_backoff=True)
def send_refund_notice(refund_pk: int) -> None:
    refund = Refund.objects.select_related("order__course").get(pk=refund_pk)
    refunds.send_refund_notice(refund=refund)
