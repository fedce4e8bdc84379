from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self) -> None:
        from courses import (
            checks,  # noqa: F401 - registers the system checks
            signals,  # noqa: F401 - cache invalidation receivers
        )
