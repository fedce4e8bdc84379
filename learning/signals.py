"""Cache invalidation only: enrolment counts show on cached catalog pages."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.caching import obsolete_catalog_caches
from learning.models import Enrollment


@receiver(post_save, sender=Enrollment)
def enrolments_changed(sender, **kwargs) -> None:
    # Enrolment counts show on cards and order "Most popular", but never change which courses
    # match a search, their facets or their relevance: cached search work is kept.
    obsolete_catalog_caches(search=False)
