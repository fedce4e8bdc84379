from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self) -> None:
        from courses import signals  # noqa: F401 - cache invalidation receivers
