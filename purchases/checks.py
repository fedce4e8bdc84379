"""System checks: no local test gateway in production, a known gateway, a sane tax rate."""

from decimal import Decimal, InvalidOperation

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


@register()
def tax_rate_is_a_percentage(app_configs, **kwargs):
    """A malformed rate would only fail at the first local checkout: say so at start-up."""
    value = getattr(settings, "TAX_RATE_PERCENT", "0")
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate < 100:
        return [
            Error(
                f"TAX_RATE_PERCENT {value!r} is not a percentage.",
                hint="Use a number from 0 to below 100, for example 21 or 5.5.",
                id="purchases.E003",
            )
        ]
    return []
