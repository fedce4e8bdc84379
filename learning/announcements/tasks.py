"""Celery task that emails one batch of an announcement's recipients (idempotent, retried)."""

from celery import shared_task

from learning.announcements import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_announcement_batch(announcement_id: int, delivery_ids: list[int]) -> int:
    return services.send_announcement_batch(
        announcement_id=announcement_id, delivery_ids=delivery_ids
    )
