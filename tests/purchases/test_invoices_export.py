"""The sales summary's gross, tax, refunds and net, and the accounting CSV for staff."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from purchases.exports import COLUMNS
from purchases.gateways import CheckoutSession, ProviderRefund
from purchases.models import CreditNote
from purchases.services.fulfilment import fulfil_order
from purchases.services.refunds import apply_refund_update
from tests.factories import CourseFactory
from tests.purchases.factories import OrderFactory, session_object

pytestmark = pytest.mark.django_db

EXPORT = "admin:purchases_order_sales_export"


def paid(course, *, tax: int, **customer):
    order = OrderFactory(course=course)
    session = session_object(
        order,
        total_details={"amount_discount": 0, "amount_shipping": 0, "amount_tax": tax},
        customer_details={"email": order.email, "name": "Alice", "tax_ids": [], **customer},
    )
    fulfil_order(order_id=order.pk, session=CheckoutSession.from_stripe(session), cause="test")
    return order


def refund(order, amount: int, refund_id: str):
    apply_refund_update(
        order_id=order.pk, refund=ProviderRefund(id=refund_id, amount=amount, status="succeeded")
    )


@pytest.fixture
def sales(db):
    """Two invoices of €49.00 (€8.50 tax each) and a €15.00 credit note (€2.60 tax)."""
    course = CourseFactory(title="SQL for analysts", price_amount=4900, currency="EUR")
    first = paid(course, tax=850)
    paid(course, tax=850, name="=HYPERLINK(1)")
    refund(first, 1500, "re_export")
    return course


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_sales_summary_shows_gross_tax_refunds_and_net_per_course_and_day(client, staff, sales):
    client.force_login(staff)

    response = client.get(reverse("admin:purchases_order_sales"))

    [row] = response.context["summary"].per_course
    assert (row.orders, row.gross, row.tax, row.refunds) == (2, 9800, 1700 - 260, 1500)
    assert row.net == 9800 - 1500 - 1440
    today = response.context["summary"].per_day[-1]
    assert (today.gross, today.tax, today.refunds, today.net) == (9800, 1440, 1500, 6860)
    for shown in ["€98.00", "€14.40", "€15.00", "€68.60"]:
        assert shown in response.text
    assert reverse(EXPORT) in response.text


def test_the_export_has_one_row_per_invoice_and_credit_note_with_totals_that_add_up(
    client, staff, sales
):
    client.force_login(staff)

    response = client.get(reverse(EXPORT))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="invoices-')
    assert response.content.decode().splitlines()[0] == ",".join(COLUMNS)
    rows = read_csv(response)
    assert [r["type"] for r in rows] == ["invoice", "invoice", "credit_note"]
    note = rows[2]
    assert note["invoice_number"] == rows[0]["number"]
    assert (note["net"], note["tax"], note["gross"]) == ("-12.40", "-2.60", "-15.00")
    assert (rows[0]["net"], rows[0]["tax_rate"], rows[0]["tax"], rows[0]["gross"]) == (
        "40.50",
        "20.99",
        "8.50",
        "49.00",
    )
    total = {k: sum(round(float(r[k]) * 100) for r in rows) for k in ("net", "tax", "gross")}
    # The same figures as the sales summary: gross less refunds, tax owed, net.
    assert total == {"gross": 9800 - 1500, "tax": 1440, "net": 6860}


def test_the_export_defuses_spreadsheet_formulas_in_buyer_details(client, staff, sales):
    client.force_login(staff)

    rows = read_csv(client.get(reverse(EXPORT)))

    assert rows[1]["buyer_name"] == "'=HYPERLINK(1)"


def test_the_export_takes_a_period(client, staff, sales):
    client.force_login(staff)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.get(reverse(EXPORT), {"since": tomorrow, "until": tomorrow})

    assert read_csv(response) == []


def test_the_export_answers_a_bad_period_with_400(client, staff, sales):
    client.force_login(staff)

    assert client.get(reverse(EXPORT), {"since": "yesterday"}).status_code == 400
    reversed_period = {"since": "2026-02-01", "until": "2026-01-01"}
    assert client.get(reverse(EXPORT), reversed_period).status_code == 400


def test_the_export_is_for_staff_only(client, learner, sales):
    client.force_login(learner)

    response = client.get(reverse(EXPORT))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_find_invoices_and_credit_notes_in_the_admin_read_only(client, staff, sales):
    client.force_login(staff)
    note = CreditNote.objects.get()

    invoices = client.get(reverse("admin:purchases_invoice_changelist"))
    notes = client.get(reverse("admin:purchases_creditnote_changelist"))
    change = client.get(reverse("admin:purchases_creditnote_change", args=[note.pk]))

    assert note.invoice.number in invoices.text
    assert note.number in notes.text
    assert note.get_absolute_url() in notes.text
    assert change.status_code == 200
    assert 'name="_save"' not in change.text
