"""System checks: the local test gateway must never take payments in production."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def local_gateway_not_in_production(app_configs, **kwargs):
    if getattr(settings, "PAYMENTS_GATEWAY", "stripe") == "local" and not settings.DEBUG:
        return [
            Error(
                "PAYMENTS_GATEWAY is 'local' with DEBUG off: the test checkout would accept "
                "fake cards.",
                hint="Set PAYMENTS_GATEWAY=stripe and STRIPE_SECRET_KEY in production.",
                id="purchases.E001",
            )
        ]
    return []


@register()
def known_gateway(app_configs, **kwargs):
    if getattr(settings, "PAYMENTS_GATEWAY", "stripe") not in ("stripe", "local"):
        return [
            Error(
                f"Unknown PAYMENTS_GATEWAY {settings.PAYMENTS_GATEWAY!r}.",
                hint="Use 'stripe' or 'local'.",
                id="purchases.E002",
            )
        ]
    return []
