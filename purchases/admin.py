"""Orders with their audit trail, the webhook inbox, refunds and a sales summary."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.admin import RobustAdminMixin
from purchases import selectors
from purchases.forms import RefundForm
from purchases.models import Order, OrderEvent, Refund, WebhookEvent
from purchases.services.fulfilment import accept_payment
from purchases.services.refunds import refundable, request_refund
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


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["created_at", "stripe_refund_id", "amount", "status", "failure_reason", "created_by"]
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
    change_form_template = "admin/purchases/order/change_form.html"
    inlines = [OrderEventInline, RefundInline]
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
        return [summary, refund, *super().get_urls()]

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
