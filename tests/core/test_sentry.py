from unittest import mock

from core.sentry import init_sentry


def test_sentry_stays_off_without_a_dsn():
    with mock.patch("sentry_sdk.init") as init:
        assert init_sentry("", environment="test", traces=0.0) is False
    init.assert_not_called()


def test_sentry_starts_with_django_and_celery_integrations_when_a_dsn_is_set():
    with mock.patch("sentry_sdk.init") as init:
        assert init_sentry("https://key@sentry.example/1", environment="prod", traces=0.1)
    kwargs = init.call_args.kwargs
    assert kwargs["dsn"] == "https://key@sentry.example/1"
    assert {type(i).__name__ for i in kwargs["integrations"]} == {
        "DjangoIntegration",
        "CeleryIntegration",
    }
    assert kwargs["send_default_pii"] is False
