"""Sentry starts only when SENTRY_DSN is set, with the Django and Celery integrations."""


def init_sentry(dsn: str, *, environment: str, traces: float) -> bool:
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces,
        send_default_pii=False,
    )
    return True
