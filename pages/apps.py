from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The composition layer: pages and work that span apps (see docs/architecture.md)."""

    name = "pages"
