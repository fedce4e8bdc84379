from django.apps import AppConfig


class PurchasesConfig(AppConfig):
    name = "purchases"

    def ready(self) -> None:
        from purchases import checks  # noqa: F401 - registers the system checks
