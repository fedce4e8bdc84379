from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self) -> None:
        # Cache invalidation receivers, loaded in every process (management commands too).
        from blog import selectors  # noqa: F401
