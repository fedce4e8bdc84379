"""Template filters for rendered text."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.filter
def markdown_basic(text: str):
    return render_markdown(text, basic=True)


@register.filter
def money(amount_minor: int, currency: str = "EUR") -> str:
    """Format integer minor units (1999) as a price ("€19.99"); 0 reads "Free"."""
    if not amount_minor:
        return "Free"
    symbols = {"EUR": "€", "USD": "$", "GBP": "£"}
    major = f"{amount_minor // 100:,}.{amount_minor % 100:02d}"
    code = (currency or "EUR").upper()
    return f"{symbols[code]}{major}" if code in symbols else f"{major} {code}"


@register.filter
def iso_datetime(value: datetime | date | None) -> str:
    """A machine-readable date for <time datetime>, in the current time zone, whole seconds.

    `|date:"c"` keeps microseconds ("…:49.184579+00:00"), which HTML's datetime syntax does not
    allow (at most three digits): the Nu HTML checker rejects it.
    """
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""
