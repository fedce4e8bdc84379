"""Orders with their audit trail, the webhook inbox, refunds and a sales summary."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path

from core.admin import RobustAdminMixin
from purchases import selectors
from purchases.models import Order, OrderEvent, WebhookEvent
from purchases.services.refunds import request_refund
from purchases.services.webhooks import process_event


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "cause", "stripe_event_id", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(RobustAdminMixin, admin.ModelAdmin):
    change_list_template = "admin/purchases/order/change_list.html"
    list_display = ["number", "email", "course", "amount", "currency", "status", "created_at"]
    list_filter = ["status", "created_at", "paid_at"]
    search_fields = ["number", "email", "checkout_session_id", "payment_intent_id"]
    date_hierarchy = "created_at"
    list_select_related = ["course"]
    inlines = [OrderEventInline]
    actions = ["refund"]
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
                refund_id = request_refund(order=order, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Refund {refund_id} requested for {order.number}; "
                    "the order changes when the provider confirms it.",
                    messages.SUCCESS,
                )

    def get_urls(self):
        summary = path(
            "sales/",
            self.admin_site.admin_view(self.sales_summary_view),
            name="purchases_order_sales",
        )
        return [summary, *super().get_urls()]

    def sales_summary_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": "Sales, last 30 days",
            "summary": selectors.sales_summary(days=30),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/purchases/sales_summary.html", context)


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
