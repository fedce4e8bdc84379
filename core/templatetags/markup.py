"""Template filters for rendered text."""

from django import template

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
