"""Buying with billing details through the local gateway, then finding the invoice."""

import re

import pytest
from django.urls import reverse

from purchases.models import Invoice
from tests.e2e.conftest import login
from tests.e2e.test_purchase_journey import fill_card, press_buy
from tests.factories import DEFAULT_PASSWORD, CourseFactory, LessonFactory


@pytest.fixture
def local_payments_with_tax_added(settings):
    settings.DEBUG = True
    settings.PAYMENTS_GATEWAY = "local"
    settings.TAX_RATE_PERCENT = "21"
    settings.PRICES_INCLUDE_TAX = False


def test_a_learner_pays_price_plus_tax_and_downloads_the_invoice(
    page, base_url, shoot, learner, local_payments_with_tax_added
):
    course = CourseFactory(title="Pandas in practice", price_amount=4900)
    LessonFactory(section__course=course, title="Loading a CSV")
    login(page, base_url, learner.email, DEFAULT_PASSWORD)

    press_buy(page, base_url, course)
    assert page.get_by_role("button", name="Pay €59.29").is_visible()
    fill_card(page, "4242 4242 4242 4242")
    page.get_by_label("Billing address").fill("Veldstraat 1")
    page.get_by_label("Postal code").fill("9000")
    page.get_by_label("City").fill("Ghent")
    page.get_by_label("Country code").fill("BE")
    page.get_by_label("VAT number").fill("BE0123123123")
    shoot("invoice-local-checkout-with-tax")
    page.get_by_role("button", name="Pay €59.29").click()
    page.wait_for_url(re.compile(r"/checkout/success/"))

    invoice = Invoice.objects.get()
    page.goto(base_url + reverse("purchases:orders"))
    page.get_by_role("link", name=f"Invoice {invoice.number} (PDF)").wait_for()
    page.goto(base_url + invoice.order.get_absolute_url())
    page.get_by_role("link", name=f"Invoice {invoice.number}", exact=True).click()

    assert page.get_by_role("heading", name=f"Invoice {invoice.number}").is_visible()
    assert page.get_by_text("BE0123123123").is_visible()
    assert page.get_by_role("cell", name="€10.29").first.is_visible()
    shoot("invoice-page")
    pdf = page.request.get(base_url + reverse("purchases:invoice_pdf", args=[invoice.order.number]))
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
