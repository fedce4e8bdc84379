"""Small display filters for course cards."""

from django import template

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    """90 → "1 h 30 min"; 45 → "45 min"; 0 → ""."""
    minutes = int(minutes or 0)
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
