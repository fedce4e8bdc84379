"""The reviews section for a course page, and star glyphs.

A course page shows the section with
`{% load ratings_tags %}{% course_reviews course user request %}`. The tag runs a fixed
number of queries (ratings.selectors.reviews_block) whatever the number of reviews; a view
that already has a ReviewsBlock can include "ratings/_course_reviews.html" with `reviews=`.
"""

from decimal import ROUND_HALF_DOWN, Decimal, InvalidOperation

from django import template

from ratings.forms import RatingForm
from ratings.selectors import reviews_block

register = template.Library()


@register.inclusion_tag("ratings/_course_reviews.html", takes_context=True)
def course_reviews(context, course, user=None, request=None):
    user = user if user is not None else context.get("user")
    request = request if request is not None else context.get("request")
    return {
        "reviews": reviews_block(course=course, user=user),
        "rating_form": RatingForm(auto_id="review_%s"),
        "full_page": False,
        "user": user,
        "request": request,
    }


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
