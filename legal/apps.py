from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_default_pages(sender, using="default", **kwargs) -> None:
    """Every site has the four legal pages: the data migration writes them once, and this puts
    back any that a `flush` emptied (as Django does for Sites and ContentTypes), so sign-up
    always has terms to accept. Existing pages and versions are never touched."""
    from django.apps import apps

    if not apps.is_installed("legal"):
        return
    seed = import_module("legal.migrations.0002_default_pages").seed
    seed(apps, None)


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = "Legal pages"

    def ready(self) -> None:
        post_migrate.connect(_ensure_default_pages, sender=self)
