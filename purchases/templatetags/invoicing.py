"""Money on invoices: zero is €0.00 (not "Free") and credit notes show a minus sign."""

from django import template

register = template.Library()

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def format_amount(amount_minor: int) -> str:
    """Minor units as a plain decimal, for CSV: -1234 → "-12.34"."""
    sign = "-" if amount_minor < 0 else ""
    whole, cents = divmod(abs(int(amount_minor)), 100)
    return f"{sign}{whole}.{cents:02d}"


@register.filter
def signed_money(amount_minor: int, currency: str = "EUR") -> str:
    # A real minus sign: a hyphen reads as a dash and may break across lines.
    sign = "\u2212" if amount_minor < 0 else ""
    whole, cents = divmod(abs(int(amount_minor)), 100)
    code = (currency or "EUR").upper()
    major = f"{whole:,}.{cents:02d}"
    return f"{sign}{SYMBOLS[code]}{major}" if code in SYMBOLS else f"{sign}{major} {code}"
