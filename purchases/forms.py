"""Admin forms (refund, accounting export) and the local test gateway's card form."""

import re
from datetime import date, timedelta

from django import forms
from django.utils import timezone

SUCCESS_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"


class TestCardForm(forms.Form):
    card_number = forms.CharField(
        label="Card number",
        max_length=23,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "cc-number",
                "placeholder": "4242 4242 4242 4242",
            }
        ),
    )
    expiry = forms.CharField(
        label="Expiry (MM/YY)",
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "12/34"}),
    )
    cvc = forms.CharField(
        label="CVC",
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-csc"}),
    )
    name = forms.CharField(
        label="Name on card",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )

    # Billing details for the invoice, as Stripe Checkout collects them (optional here, so
    # that a quick test purchase needs only the card).
    address_line1 = forms.CharField(
        label="Billing address (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postal_code = forms.CharField(
        label="Postal code",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    city = forms.CharField(
        label="City",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    country = forms.CharField(
        label="Country code (e.g. BE)",
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "country"}),
    )
    tax_id = forms.CharField(
        label="VAT number (businesses, optional)",
        max_length=50,
        required=False,
    )

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError("Enter a two-letter country code, for example BE.")
        return country

    def customer_details(self, *, email: str) -> dict:
        """Shaped like a Checkout Session's customer_details."""
        data = self.cleaned_data
        tax_id = data["tax_id"].strip()
        return {
            "name": data["name"],
            "email": email,
            "address": {
                "line1": data["address_line1"] or None,
                "line2": None,
                "postal_code": data["postal_code"] or None,
                "city": data["city"] or None,
                "state": None,
                "country": data["country"] or None,
            },
            "tax_exempt": "none",
            "tax_ids": [{"type": "eu_vat", "value": tax_id}] if tax_id else [],
        }

    def clean_card_number(self) -> str:
        number = re.sub(r"[\s-]", "", self.cleaned_data["card_number"])
        if number not in (SUCCESS_CARD, DECLINED_CARD):
            raise forms.ValidationError(
                "Use a test card: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined."
            )
        return number

    def clean_expiry(self) -> str:
        match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", self.cleaned_data["expiry"])
        if not match or not 1 <= int(match[1]) <= 12:
            raise forms.ValidationError("Enter the expiry as MM/YY, for example 12/34.")
        month, year = int(match[1]), int(match[2][-2:]) + 2000
        today = timezone.now().date()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError("This card has expired.")
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvc(self) -> str:
        cvc = self.cleaned_data["cvc"].strip()
        if not re.fullmatch(r"\d{3,4}", cvc):
            raise forms.ValidationError("The CVC is the 3 or 4 digits on the back of the card.")
        return cvc

    @property
    def is_declined_card(self) -> bool:
        return self.cleaned_data.get("card_number") == DECLINED_CARD


class RefundForm(forms.Form):
    """An amount in cents, at most what is left to refund on the order."""

    amount = forms.IntegerField(
        label="Amount to refund (in cents)",
        min_value=1,
        help_text="For example 1250 for 12.50.",
    )

    def __init__(self, *args, left: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.left = left
        self.fields["amount"].initial = left
        self.fields["amount"].widget.attrs.update({"min": 1, "max": left})

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount > self.left:
            raise forms.ValidationError(f"At most {self.left} cents are left to refund.")
        return amount


class ExportForm(forms.Form):
    """The period of the accounting export; both ends included, at most ~5 years."""

    since = forms.DateField(label="From", required=False, widget=forms.DateInput({"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date must not be after the end date.")
        if since and until and (until - since).days > 366 * 5:
            raise forms.ValidationError("Export at most five years at a time.")
        return data

    def period(self) -> tuple[date, date]:
        """The chosen period; by default the last 30 days, as on the sales summary."""
        data = self.cleaned_data if self.is_bound else {}
        until = data.get("until") or timezone.localdate()
        since = data.get("since") or until - timedelta(days=30)
        return since, until
