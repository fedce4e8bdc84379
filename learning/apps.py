from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"

    def ready(self) -> None:
        from learning import signals  # noqa: F401 - cache invalidation receivers

        # autodiscover_tasks() looks at learning.tasks only: register the subpackage's tasks.
        from learning.certificates import tasks  # noqa: F401
