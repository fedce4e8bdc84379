"""Star glyphs for ratings. The reviews section itself is passed to pages ready-made
(ratings.selectors.reviews_block), never loaded by a tag: templates run no queries."""

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
