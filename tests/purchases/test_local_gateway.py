import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from learning.models import Enrollment
from purchases.checks import local_gateway_not_in_production
from purchases.gateways import get_gateway
from purchases.local_gateway import LocalGateway
from purchases.models import Order, WebhookEvent
from tests.purchases.factories import OrderFactory

pytestmark = pytest.mark.django_db

CARD = {"expiry": "12/34", "cvc": "123", "name": "Alice Learner"}


@pytest.fixture
def local(settings):
    settings.DEBUG = True
    settings.PAYMENTS_GATEWAY = "local"


@pytest.fixture
def pay_page(client, learner, course, local):
    client.force_login(learner)
    response = client.post(reverse("purchases:checkout", args=[course.slug]))
    assert response.status_code == 303
    return response["Location"]


def pay(client, url, number, capture):
    with capture(execute=True):
        return client.post(url, {**CARD, "card_number": number})


def test_buying_without_stripe_keys_opens_the_local_checkout_page(client, pay_page, course):
    response = client.get(pay_page)

    assert response.status_code == 200
    assert "Test mode" in response.text
    for label in ["Card number", "Expiry (MM/YY)", "CVC", "Name on card"]:
        assert f">{label}" in response.text
    assert "€49.00" in response.text


def test_the_success_test_card_pays_through_the_signed_webhook_and_enrols(
    client, pay_page, learner, course, django_capture_on_commit_callbacks
):
    response = pay(client, pay_page, "4242 4242 4242 4242", django_capture_on_commit_callbacks)

    assert response.status_code == 303
    order = Order.objects.get()
    assert response["Location"].endswith(
        reverse("purchases:success") + f"?session_id={order.checkout_session_id}"
    )
    stored = WebhookEvent.objects.get()
    assert (stored.type, stored.status) == ("checkout.session.completed", "processed")
    assert order.status == "paid"
    assert Enrollment.objects.filter(user=learner, course=course).exists()
    assert "Start learning" in client.get(response["Location"]).text


def test_the_declined_test_card_shows_a_clear_message_and_grants_nothing(
    client, pay_page, learner, course, django_capture_on_commit_callbacks
):
    response = pay(client, pay_page, "4000 0000 0000 0002", django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Your card was declined" in response.text
    assert not WebhookEvent.objects.exists()
    assert Order.objects.get().status == "pending"
    assert not Enrollment.objects.filter(user=learner).exists()


def test_any_other_card_number_asks_for_a_test_card(
    client, pay_page, django_capture_on_commit_callbacks
):
    response = pay(client, pay_page, "5555 5555 5555 4444", django_capture_on_commit_callbacks)

    assert "Use a test card" in response.text
    assert not WebhookEvent.objects.exists()


def test_an_expired_card_is_refused_with_a_message(client, pay_page):
    response = client.post(pay_page, {**CARD, "expiry": "01/20", "card_number": "4242424242424242"})

    assert "This card has expired." in response.text


def test_another_learner_cannot_open_my_local_checkout(client, pay_page, other_learner):
    client.force_login(other_learner)

    assert client.get(pay_page).status_code == 404


def test_the_local_checkout_is_not_found_when_stripe_is_configured(client, pay_page, settings):
    settings.PAYMENTS_GATEWAY = "stripe"

    assert client.get(pay_page).status_code == 404


def test_the_local_checkout_is_not_found_with_debug_off(client, pay_page, settings):
    settings.DEBUG = False

    assert client.get(pay_page).status_code == 404


def test_the_local_gateway_refuses_to_run_with_debug_off(settings):
    settings.PAYMENTS_GATEWAY = "local"
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured):
        get_gateway()


def test_the_local_gateway_uses_a_default_secret_when_none_is_set(settings, local):
    settings.STRIPE_WEBHOOK_SECRET = ""

    assert LocalGateway.webhook_secret().startswith("whsec_")


def test_the_deploy_check_errors_when_the_local_gateway_is_configured_in_production(settings):
    settings.PAYMENTS_GATEWAY = "local"
    settings.DEBUG = False

    [error] = local_gateway_not_in_production(None)

    assert error.id == "purchases.E001"


def test_the_deploy_check_passes_with_stripe_in_production(settings):
    settings.PAYMENTS_GATEWAY = "stripe"
    settings.DEBUG = False

    assert local_gateway_not_in_production(None) == []


def test_the_deploy_check_allows_the_local_gateway_in_development(settings, local):
    assert local_gateway_not_in_production(None) == []


def test_check_deploy_fails_with_the_local_gateway_in_production(settings):
    settings.PAYMENTS_GATEWAY = "local"
    settings.DEBUG = False

    with pytest.raises(SystemCheckError, match=r"purchases\.E001"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def test_a_refund_from_the_admin_with_the_local_gateway_removes_access(
    client, pay_page, learner, course, staff, django_capture_on_commit_callbacks
):
    pay(client, pay_page, "4242424242424242", django_capture_on_commit_callbacks)
    order = Order.objects.get()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:purchases_order_changelist"),
            {"action": "refund", "_selected_action": [order.pk]},
        )

    order.refresh_from_db()
    assert order.status == "refunded"
    assert not Enrollment.objects.filter(
        user=learner, course=course, revoked_at__isnull=True
    ).exists()


def test_an_expired_local_session_can_no_longer_be_paid(
    client, pay_page, course, django_capture_on_commit_callbacks
):
    order = Order.objects.get()
    LocalGateway().expire_session(order.checkout_session_id)

    response = pay(client, pay_page, "4242 4242 4242 4242", django_capture_on_commit_callbacks)

    assert response["Location"] == course.get_absolute_url()
    assert Order.objects.get().status == "pending"
    assert not WebhookEvent.objects.exists()


def test_a_local_checkout_page_with_a_nul_byte_is_a_404(client, learner, local):
    client.force_login(learner)

    url = reverse("purchases:local_pay", args=["cs_test_local_x"]).removesuffix("/") + "%00/"

    response = client.get(url)

    assert response.status_code == 404


def test_a_local_payment_with_the_broker_down_is_stored_for_the_sweep_like_a_stripe_event(
    client, pay_page, learner, course, monkeypatch, django_capture_on_commit_callbacks
):
    """The local gateway hands its event to the webhook's own service (store, then enqueue by
    task name), so a broker outage behaves exactly as it does for Stripe's webhook."""
    from kombu.exceptions import OperationalError

    from purchases import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(tasks.process_webhook_event, "delay", broker_down)

    response = pay(client, pay_page, "4242 4242 4242 4242", django_capture_on_commit_callbacks)

    assert response.status_code == 303
    stored = WebhookEvent.objects.get()
    assert (stored.type, stored.status) == ("checkout.session.completed", "received")
    assert not Enrollment.objects.filter(user=learner, course=course).exists()


def test_the_local_gateway_returns_the_event_it_stored(learner, course, local):
    order = OrderFactory(user=learner, course=course)
    gateway = LocalGateway()
    session = gateway.create_checkout(order=order, success_url="/ok", cancel_url="/no")

    stored = gateway.pay(session.id)

    assert stored == WebhookEvent.objects.get()
    assert stored.payload["data"]["object"]["id"] == session.id
