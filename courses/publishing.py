"""Publishing courses (admin actions call these). Kept apart from services.py, which holds the
enrolment services, so catalog operations and study operations can evolve independently."""

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce, Now

from courses.caching import bump_catalog_version
from courses.models import Course


@transaction.atomic
def publish_courses(*, courses: QuerySet[Course]) -> int:
    """Publish drafts; a course published before keeps its first publication date."""
    count = courses.exclude(status=Course.Status.PUBLISHED).update(
        status=Course.Status.PUBLISHED, published_at=Coalesce("published_at", Now())
    )
    transaction.on_commit(bump_catalog_version)
    return count


@transaction.atomic
def unpublish_courses(*, courses: QuerySet[Course]) -> int:
    """Back to draft: gone from the catalog and search; enrolled learners keep their rows."""
    count = courses.filter(status=Course.Status.PUBLISHED).update(status=Course.Status.DRAFT)
    transaction.on_commit(bump_catalog_version)
    return count
