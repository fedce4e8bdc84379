"""Celery wrapper for issuing certificates; safe to retry (the service is idempotent)."""

from celery import shared_task

from learning.certificates import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def issue_certificate(enrollment_id: int) -> None:
    services.issue_certificate(enrollment_id=enrollment_id)
