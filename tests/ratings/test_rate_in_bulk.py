"""rate_course_in_bulk: many first ratings of one course (demo data), same rules as one."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ratings.models import Rating
from ratings.services import NewRating, rate_course_in_bulk
from tests.factories import CourseFactory, UserFactory
from tests.ratings.factories import enrolled, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory()


def enrolled_learners(course, n):
    users = [UserFactory() for _ in range(n)]
    for user in users:
        enrolled(user, course)
    return users


def test_bulk_ratings_store_the_real_average_and_count(course):
    rate(course, 2)
    users = enrolled_learners(course, 2)
    rate_course_in_bulk(
        course=course,
        ratings=[NewRating(user=users[0], stars=5, title=" Great "), NewRating(users[1], 4)],
    )
    course.refresh_from_db()
    assert (course.rating_average, course.rating_count) == (Decimal("3.67"), 3)
    assert Rating.objects.filter(title="Great").exists()


def test_bulk_ratings_refuse_a_learner_who_is_not_enrolled(course):
    (user,) = enrolled_learners(course, 1)
    outsider = UserFactory()
    with pytest.raises(ValidationError, match="enrolled"):
        rate_course_in_bulk(course=course, ratings=[NewRating(user, 5), NewRating(outsider, 5)])
    assert not Rating.objects.exists()


def test_bulk_ratings_refuse_a_learner_who_already_rated(course):
    first = rate(course, 3).user
    with pytest.raises(ValidationError, match="already rated"):
        rate_course_in_bulk(course=course, ratings=[NewRating(first, 5)])
    assert Rating.objects.count() == 1


def test_bulk_ratings_refuse_stars_out_of_range(course):
    (user,) = enrolled_learners(course, 1)
    with pytest.raises(ValidationError):
        rate_course_in_bulk(course=course, ratings=[NewRating(user, 6)])
    assert not Rating.objects.exists()


def test_bulk_ratings_refuse_a_review_over_the_length_limit(course):
    (user,) = enrolled_learners(course, 1)
    with pytest.raises(ValidationError, match="under 5000"):
        rate_course_in_bulk(course=course, ratings=[NewRating(user, 4, body="x" * 5001)])
    assert not Rating.objects.exists()
