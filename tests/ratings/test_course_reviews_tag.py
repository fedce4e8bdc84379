"""The reviews section that the course page includes with {% course_reviews %}."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from ratings.templatetags.ratings_tags import star_icons
from tests.factories import CourseFactory
from tests.ratings.factories import enrolled, rate

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load ratings_tags %}{% course_reviews course user request %}")


def render_section(course, user) -> str:
    request = RequestFactory().get(course.get_absolute_url())
    request.user = user
    course.refresh_from_db()
    return TEMPLATE.render(Context({"course": course, "user": user, "request": request}))


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
    # distribution, one page of reviews, own rating, can rate, helpful marks
    with django_assert_num_queries(5):
        render_section_without_refresh(course, learner)


def render_section_without_refresh(course, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return TEMPLATE.render(Context({"course": course, "user": user, "request": request}))


@pytest.mark.parametrize(
    ("value", "expected"), [(4, "★★★★☆"), ("4.50", "★★★★☆"), ("4.51", "★★★★★"), (None, "☆☆☆☆☆")]
)
def test_star_icons_round_to_whole_stars(value, expected):
    assert star_icons(value) == expected
