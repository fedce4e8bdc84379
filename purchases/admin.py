"""Orders with their audit trail, the webhook inbox, refunds and a sales summary."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.admin import HistoryInlineMixin, RobustAdminMixin
from purchases import selectors
from purchases.exports import documents_csv
from purchases.forms import ExportForm, RefundForm
from purchases.models import CreditNote, Invoice, Order, OrderEvent, Refund, WebhookEvent
from purchases.services.fulfilment import accept_payment
from purchases.services.refunds import refundable, request_refund
from purchases.services.webhooks import process_event


class OrderEventInline(HistoryInlineMixin, admin.TabularInline):
    model = OrderEvent
    fields = ["created_at", "from_status", "to_status", "cause", "stripe_event_id", "actor"]
    readonly_fields = fields


class RefundInline(HistoryInlineMixin, admin.TabularInline):
    model = Refund
    fields = ["created_at", "stripe_refund_id", "amount", "status", "failure_reason", "created_by"]
    readonly_fields = fields


class InvoiceInline(HistoryInlineMixin, admin.StackedInline):
    model = Invoice
    fields = ["number", "issued_at", "net_amount", "tax_amount", "gross_amount", "currency"]
    readonly_fields = fields


class IssuedDocumentAdmin(RobustAdminMixin, admin.ModelAdmin):
    """Issued documents are read-only: a mistake is corrected by a credit note."""

    date_hierarchy = "issued_at"
    list_filter = ["issued_at", "currency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.display(description="document")
    def document_link(self, obj) -> str:
        return format_html('<a href="{}">Page</a>', obj.get_absolute_url())


@admin.register(Invoice)
class InvoiceAdmin(IssuedDocumentAdmin):
    list_display = [
        "number",
        "issued_at",
        "buyer_email",
        "net_amount",
        "tax_amount",
        "gross_amount",
        "currency",
        "document_link",
    ]
    search_fields = ["number", "order__number", "buyer_email", "buyer_name", "buyer_tax_id"]
    list_select_related = ["order"]


@admin.register(CreditNote)
class CreditNoteAdmin(IssuedDocumentAdmin):
    list_display = [
        "number",
        "issued_at",
        "invoice",
        "net_amount",
        "tax_amount",
        "gross_amount",
        "currency",
        "document_link",
    ]
    search_fields = ["number", "invoice__number", "invoice__order__number"]
    list_select_related = ["invoice__order"]


@admin.register(Order)
class OrderAdmin(RobustAdminMixin, admin.ModelAdmin):
    change_list_template = "admin/purchases/order/change_list.html"
    list_display = ["number", "email", "course", "amount", "currency", "status", "created_at"]
    list_filter = ["status", "created_at", "paid_at"]
    search_fields = ["number", "email", "checkout_session_id", "payment_intent_id"]
    date_hierarchy = "created_at"
    list_select_related = ["course"]
    change_form_template = "admin/purchases/order/change_form.html"
    inlines = [OrderEventInline, RefundInline, InvoiceInline]
    actions = ["refund", "accept_reviewed_payment"]
    readonly_fields = [
        "number",
        "user",
        "email",
        "course",
        "amount",
        "currency",
        "amount_paid",
        "refunded_amount",
        "status",
        "checkout_session_id",
        "checkout_url",
        "payment_intent_id",
        "charge_id",
        "created_at",
        "updated_at",
        "paid_at",
        "reconciled_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Refund the selected orders in full (through the provider)")
    def refund(self, request, queryset):
        for order in queryset:
            try:
                refund = request_refund(order=order, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self._refund_sent(request, order, refund)

    def _refund_sent(self, request, order: Order, refund: Refund) -> None:
        self.message_user(
            request,
            f"Refund {refund.stripe_refund_id} of {refund.amount} cents for {order.number}: "
            f"{refund.get_status_display().lower()}.",
            messages.SUCCESS,
        )

    @admin.action(description="Accept the payment of the selected orders held for review")
    def accept_reviewed_payment(self, request, queryset):
        for order in queryset:
            try:
                accept_payment(order_id=order.pk, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request, f"{order.number} is paid; the learner is enrolled.", messages.SUCCESS
                )

    def partial_refund_view(self, request, object_id):
        """Refund part of an order: at most what was charged less what was refunded."""
        order = get_object_or_404(Order.objects.select_related("course"), pk=object_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        form = RefundForm(request.POST or None, left=refundable(order))
        if request.method == "POST" and form.is_valid():
            try:
                refund = request_refund(
                    order=order, actor=request.user, amount=form.cleaned_data["amount"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self._refund_sent(request, order, refund)
                return redirect(reverse("admin:purchases_order_change", args=[order.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Refund order {order.number}",
            "order": order,
            "form": form,
            "left": form.left,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/purchases/order/refund.html", context)

    def get_urls(self):
        summary = path(
            "sales/",
            self.admin_site.admin_view(self.sales_summary_view),
            name="purchases_order_sales",
        )
        refund = path(
            "<int:object_id>/refund/",
            self.admin_site.admin_view(self.partial_refund_view),
            name="purchases_order_refund",
        )
        export = path(
            "sales/export.csv",
            self.admin_site.admin_view(self.accounting_export_view),
            name="purchases_order_sales_export",
        )
        return [summary, export, refund, *super().get_urls()]

    def sales_summary_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": "Sales, last 30 days",
            "summary": selectors.sales_summary(days=30),
            "export_form": ExportForm(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/purchases/sales_summary.html", context)

    def accounting_export_view(self, request):
        """Every invoice and credit note issued in the period, for the accountant."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET or None)
        if request.GET and not form.is_valid():
            errors = "; ".join(m for msgs in form.errors.values() for m in msgs)
            return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
        since, until = form.period()
        documents = selectors.accounting_documents(since=since, until=until)
        response = HttpResponse(documents_csv(documents), content_type="text/csv; charset=utf-8")
        filename = f"invoices-{since:%Y%m%d}-{until:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@admin.register(WebhookEvent)
class WebhookEventAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = [
        "stripe_event_id",
        "type",
        "status",
        "attempts",
        "error",
        "received_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "type", "received_at"]
    search_fields = ["stripe_event_id", "type", "last_error"]
    readonly_fields = [
        "stripe_event_id",
        "type",
        "status",
        "received_at",
        "processed_at",
        "attempts",
        "last_error",
        "next_attempt_at",
        "payload",
    ]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="last error")
    def error(self, obj: WebhookEvent) -> str:
        return obj.last_error[:80]

    @admin.action(description="Process the selected events again now")
    def retry(self, request, queryset):
        done = 0
        for pk in queryset.values_list("pk", flat=True):
            event = process_event(event_pk=pk)
            done += event is not None and event.status != WebhookEvent.Status.FAILED
        self.message_user(request, f"{done} of {queryset.count()} events processed.")
