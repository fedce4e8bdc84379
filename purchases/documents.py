"""Invoices and credit notes as pages and as PDFs, both from the same HTML template."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from purchases.models import CreditNote, Invoice


def document_context(document: Invoice | CreditNote) -> dict:
    """What _document.html shows: a credit note prints the parties of its invoice."""
    if isinstance(document, CreditNote):
        return {"document": document, "invoice": document.invoice, "is_credit_note": True}
    return {"document": document, "invoice": document, "is_credit_note": False}


def render_page(request: HttpRequest, document: Invoice | CreditNote) -> HttpResponse:
    return render(request, "purchases/document.html", document_context(document))


def render_pdf(request: HttpRequest, document: Invoice | CreditNote) -> HttpResponse:
    # Imported here: WeasyPrint loads pango and fonts, which only PDF requests need.
    from weasyprint import HTML

    html = render_to_string("purchases/document_pdf.html", document_context(document), request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    # Private documents: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
