"""Celery tasks of learning: thin, idempotent wrappers around its services."""

from celery import shared_task

from learning import drip


@shared_task
def announce_opened_sections() -> int:
    """Beat: email learners whose dripped section has just opened (once each, see drip)."""
    return drip.announce_opened_sections()
