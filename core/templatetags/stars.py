"""Star glyphs for ratings, used by the one stars partial (templates/components/stars.html).
Here in core because course cards (courses) and reviews (ratings) both show them."""

from decimal import ROUND_HALF_DOWN, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def star_icons(value) -> str:
    """4 → "★★★★☆". Decorative: pair it with text.

    An average is rounded to whole stars, half down, so that 4.50 never shows five full stars.
    """
    try:
        stars = int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_DOWN))
    except (InvalidOperation, TypeError, ValueError):
        stars = 0
    stars = max(0, min(5, stars))
    return "★" * stars + "☆" * (5 - stars)
