from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete


def _forget_deleted_learner(sender, instance, **kwargs):
    from courses.services import forget_learner

    forget_learner(user=instance)


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self) -> None:
        from courses import (
            checks,  # noqa: F401 - registers the system checks
            signals,  # noqa: F401 - cache invalidation receivers
        )

        # accounts cannot import courses (dependencies point the other way), so courses
        # listens for an account's deletion and keeps enrollment counts right.
        pre_delete.connect(
            _forget_deleted_learner,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="courses_forget_deleted_learner",
        )
