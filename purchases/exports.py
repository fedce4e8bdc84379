"""The accounting export: one CSV row per invoice and credit note."""

import csv
from collections.abc import Iterable
from io import StringIO

from core.spreadsheets import spreadsheet_safe
from purchases.models import CreditNote, Invoice
from purchases.templatetags.invoicing import format_amount

COLUMNS = [
    "type",
    "number",
    "issue_date",
    "invoice_number",
    "order_number",
    "buyer_name",
    "buyer_email",
    "buyer_tax_id",
    "buyer_address",
    "description",
    "currency",
    "net",
    "tax_rate",
    "tax",
    "gross",
]


def _text(value: str) -> str:
    """One line (addresses span several), safe to open in a spreadsheet."""
    return spreadsheet_safe(value.replace("\r", " ").replace("\n", ", "))


def _row(document: Invoice | CreditNote) -> list[str]:
    invoice = document.invoice if isinstance(document, CreditNote) else document
    return [
        "credit_note" if isinstance(document, CreditNote) else "invoice",
        document.number,
        document.issued_at.date().isoformat(),
        invoice.number,
        invoice.order.number,
        _text(invoice.buyer_name),
        _text(invoice.buyer_email),
        _text(invoice.buyer_tax_id),
        _text(invoice.buyer_address),
        _text(invoice.description),
        document.currency,
        format_amount(document.net_amount),
        f"{invoice.tax_rate:.2f}",
        format_amount(document.tax_amount),
        format_amount(document.gross_amount),
    ]


def documents_csv(documents: Iterable[Invoice | CreditNote]) -> str:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for document in documents:
        writer.writerow(_row(document))
    return out.getvalue()
