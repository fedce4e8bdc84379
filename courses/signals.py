"""Cache invalidation only: any saved or deleted catalog row makes cached catalog pages obsolete.

Bulk updates (QuerySet.update, e.g. rating summaries) send no signal; their callers should call
courses.caching.bump_catalog_version(), and the cache timeout bounds any miss.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from courses.caching import obsolete_catalog_caches
from courses.models import Category, Course, Lesson, Section


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
@receiver(post_save, sender=Course)
@receiver(post_delete, sender=Course)
@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
@receiver(post_save, sender=Lesson)
@receiver(post_delete, sender=Lesson)
def catalog_changed(sender, **kwargs) -> None:
    obsolete_catalog_caches()
