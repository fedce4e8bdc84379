"""The reviews section of the course page: ratings.selectors.reviews_block, passed to the
"ratings/_course_reviews.html" fragment by the composing view (pages.views.course_detail)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from core.templatetags.stars import star_icons
from ratings.forms import RatingForm
from ratings.selectors import reviews_block
from tests.factories import CourseFactory
from tests.ratings.factories import enrolled, rate

pytestmark = pytest.mark.django_db


def render_section(course, user) -> str:
    course.refresh_from_db()
    return render_section_without_refresh(course, user)


def test_section_shows_average_count_distribution_and_first_reviews():
    course = CourseFactory()
    rate(course, 5, title="Loved it")
    rate(course, 4, title="Good")
    html = render_section(course, AnonymousUser())
    assert "Ratings and reviews" in html
    assert "<strong data-rating-average>4.50</strong>" in html
    assert "2 ratings" in html
    assert html.count('<th scope="row">') == 5
    assert "Loved it" in html and "Good" in html
    assert reverse("ratings:list", args=[course.slug]) in html


def test_section_offers_the_rating_form_to_an_enrolled_learner(learner):
    course = CourseFactory()
    enrolled(learner, course)
    html = render_section(course, learner)
    assert f'action="{reverse("ratings:rate", args=[course.slug])}"' in html
    assert "<legend>Your rating" in html


def test_section_offers_an_edit_link_to_a_learner_who_rated(learner):
    course = CourseFactory()
    rating = rate(course, 3, user=learner)
    html = render_section(course, learner)
    assert reverse("ratings:edit", args=[rating.pk]) in html


@pytest.mark.parametrize("n", [3, 30])
def test_section_query_count_does_not_grow_with_reviews(learner, django_assert_num_queries, n):
    course = CourseFactory()
    for _ in range(n):
        rate(course, 4)
    enrolled(learner, course)
    course.refresh_from_db()
    # distribution, one page of reviews, own rating, can rate, helpful marks; rendering none
    with django_assert_num_queries(5):
        render_section_without_refresh(course, learner)


def test_the_course_page_shows_the_reviews_section(client, learner):
    course = CourseFactory()
    rate(course, 5, title="Loved it")
    response = client.get(course.get_absolute_url())
    assert 'id="reviews-heading">Ratings and reviews' in response.content.decode()
    assert "Loved it" in response.content.decode()


def render_section_without_refresh(course, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "reviews": reviews_block(course=course, user=user),
        "rating_form": RatingForm(auto_id="review_%s"),
        "full_page": False,
        "user": user,
        "request": request,
    }
    return render_to_string("ratings/_course_reviews.html", context)


@pytest.mark.parametrize(
    ("value", "expected"), [(4, "★★★★☆"), ("4.50", "★★★★☆"), ("4.51", "★★★★★"), (None, "☆☆☆☆☆")]
)
def test_star_icons_round_to_whole_stars(value, expected):
    assert star_icons(value) == expected


def test_the_stars_partial_hides_the_glyphs_and_can_say_the_rating_in_words():
    from django.template.loader import render_to_string

    quiet = render_to_string("components/stars.html", {"value": "3.50"})
    spoken = render_to_string("components/stars.html", {"value": 4, "say": True})

    assert quiet == '<span class="stars" aria-hidden="true">★★★☆☆</span>'
    assert spoken == (
        '<span class="stars" aria-hidden="true">★★★★☆</span>'
        ' <span class="visually-hidden">4 out of 5 stars</span>'
    )
