"""Orders, their audit trail, and the inbox of payment-provider events."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


def new_order_number() -> str:
    # Short, unguessable, unambiguous (no 0/O/1/I) and easy to read out on the phone.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "DS-" + "".join(secrets.choice(alphabet) for _ in range(8))


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending payment"
        PAID = "paid", "Paid"
        CLOSED = "closed", "Closed (not paid)"
        REFUNDED = "refunded", "Refunded"
        DISPUTED = "disputed", "Disputed"
        # Paid at the provider, but not the amount or currency of the order: staff decide.
        NEEDS_REVIEW = "needs_review", "Payment under review"

    number = models.CharField(max_length=20, unique=True, default=new_order_number, editable=False)
    # SET_NULL so a learner can delete their account; the email snapshot keeps the books.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    email = models.EmailField()
    # PROTECT: an order is a financial record, a sold course cannot just disappear.
    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="orders")
    # Captured at order time in minor units; later price changes never touch it.
    amount = models.PositiveIntegerField(help_text="In cents.")
    currency = models.CharField(max_length=3)
    amount_paid = models.PositiveIntegerField(
        null=True, blank=True, help_text="What the provider charged (after promotion codes)."
    )
    refunded_amount = models.PositiveIntegerField(default=0, help_text="In cents.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.TextField(blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    charge_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(
        null=True, blank=True, help_text="When the provider was last asked about this order."
    )
    # Captured with the price: whether `amount` includes tax or tax is added on top of it.
    prices_include_tax = models.BooleanField(default=True)
    tax_amount = models.PositiveIntegerField(
        default=0, help_text="Tax in what the provider charged, in cents."
    )
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    refunded_tax = models.PositiveIntegerField(
        default=0, help_text="Tax given back by credit notes, in cents."
    )
    # The buyer's name, address and tax ids as the provider collected them at checkout.
    billing_details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0), name="order_refunded_non_negative"
            ),
            # With tax added on top of the price, what can go back is the price plus its tax.
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=F("amount") + F("tax_amount")),
                name="order_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "paid", "closed", "refunded", "disputed", "needs_review"]
                ),
                name="order_status_valid",
            ),
            # One open checkout per learner and course: a second "Buy" reuses it.
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status="pending"),
                name="order_one_pending_per_user_course",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="order_user_recent"),
            models.Index(fields=["status", "created_at"], name="order_status_created"),
            models.Index(fields=["paid_at"], name="order_paid_at"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("purchases:order_detail", args=[self.number])

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID

    @property
    def is_partially_refunded(self) -> bool:
        return self.status == self.Status.PAID and self.refunded_amount > 0

    @property
    def paid_after_discount(self) -> bool:
        """Charged less than the price (a promotion code); tax added on top is no discount."""
        return self.amount_paid is not None and self.amount_paid < self.price_with_tax

    @property
    def price_with_tax(self) -> int:
        """The most the buyer can have been charged: the price, plus tax if it is added."""
        return self.amount if self.prices_include_tax else self.amount + self.tax_amount


class OrderEvent(models.Model):
    """One row per status change (and per notable non-change), like pretix's order log."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Order.Status.choices)
    to_status = models.CharField(max_length=20, choices=Order.Status.choices)
    cause = models.CharField(max_length=255)
    stripe_event_id = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status} ({self.cause})"


class Refund(models.Model):
    """One provider refund, keyed by its id: only succeeded ones count towards the order.

    A refund can fail or be cancelled after it was created (or even after it succeeded), so
    the order's refunded_amount is derived from these rows, never added up from events.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        REQUIRES_ACTION = "requires_action", "Requires action"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Cancelled"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    stripe_refund_id = models.CharField(max_length=255, unique=True)
    amount = models.PositiveIntegerField(help_text="In cents.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    failure_reason = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The admin who asked for it; empty when it was made at the provider.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "requires_action", "succeeded", "failed", "canceled"]
                ),
                name="refund_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stripe_refund_id} ({self.status})"


class WebhookEvent(models.Model):
    """Every verified provider event, stored before it is processed so nothing is lost."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"
        FAILED = "failed", "Failed (will retry)"

    stripe_event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["received", "failed"]),
                name="webhook_unprocessed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_event_id}"


class DocumentNumberCounter(models.Model):
    """The last number issued in one series (invoices, credit notes) and year.

    Not a database sequence: a sequence keeps the numbers of rolled-back transactions, and
    invoice numbers must have no gaps. The row is locked by the transaction that issues the
    document, so a rollback gives its number back.
    """

    series = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="document_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"


class IssuedDocument(models.Model):
    """What an invoice and a credit note share: issued once, never changed afterwards."""

    number = models.CharField(max_length=30, unique=True, editable=False)
    issued_at = models.DateTimeField(editable=False)
    currency = models.CharField(max_length=3, editable=False)
    net_amount = models.IntegerField(help_text="In cents.", editable=False)
    tax_amount = models.IntegerField(help_text="In cents.", editable=False)
    gross_amount = models.IntegerField(help_text="In cents.", editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        # Immutable once issued: a correction is a credit note, never an edit.
        if not self._state.adding:
            raise ValueError(f"{self.number} is issued and cannot be changed.")
        super().save(*args, **kwargs)


class Invoice(IssuedDocument):
    """One per paid order, with the seller's and buyer's details as they were when issued."""

    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="invoice", editable=False
    )
    seller_name = models.CharField(max_length=200, editable=False)
    seller_address = models.TextField(editable=False)
    seller_vat_id = models.CharField(max_length=50, blank=True, editable=False)
    buyer_name = models.CharField(max_length=200, blank=True, editable=False)
    buyer_email = models.EmailField(editable=False)
    buyer_address = models.TextField(blank=True, editable=False)
    buyer_tax_id = models.CharField(max_length=100, blank=True, editable=False)
    description = models.CharField(max_length=300, editable=False)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, editable=False)
    prices_include_tax = models.BooleanField(editable=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_amount=F("net_amount") + F("tax_amount"))
                & Q(net_amount__gte=0)
                & Q(tax_amount__gte=0),
                name="invoice_amounts_add_up",
            ),
        ]
        indexes = [models.Index(fields=["issued_at"], name="invoice_issued_at")]

    def get_absolute_url(self) -> str:
        return reverse("purchases:invoice", args=[self.order.number])


class CreditNote(IssuedDocument):
    """Money given back on an invoice: one per succeeded refund, amounts negative."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="credit_notes", editable=False
    )
    refund = models.OneToOneField(
        Refund, on_delete=models.PROTECT, related_name="credit_note", editable=False
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_amount=F("net_amount") + F("tax_amount"))
                & Q(net_amount__lte=0)
                & Q(tax_amount__lte=0),
                name="credit_note_amounts_add_up",
            ),
        ]
        indexes = [models.Index(fields=["issued_at"], name="credit_note_issued_at")]

    def get_absolute_url(self) -> str:
        return reverse("purchases:credit_note", args=[self.invoice.order.number, self.number])
