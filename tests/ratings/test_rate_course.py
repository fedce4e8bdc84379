from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from courses.models import Course
from learning.services import revoke_enrollment
from pages.services import delete_account
from ratings import services
from ratings.models import Rating
from tests.factories import CourseFactory
from tests.ratings.factories import RatingFactory, enrolled, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory()


def summary(course):
    course.refresh_from_db()
    return course.rating_average, course.rating_count


def test_enrolled_learner_rates_a_course_with_a_review(learner, course):
    enrolled(learner, course)
    rating = services.rate_course(
        user=learner, course=course, stars=4, title="  Clear  ", body="Good *pace*."
    )
    assert (rating.stars, rating.title, rating.body) == (4, "Clear", "Good *pace*.")
    assert summary(course) == (Decimal("4.00"), 1)


def test_learner_without_enrollment_cannot_rate(learner, course):
    with pytest.raises(ValidationError, match="Only learners enrolled in this course can rate"):
        services.rate_course(user=learner, course=course, stars=5)
    assert not Rating.objects.exists()
    assert summary(course) == (Decimal("0"), 0)


def test_learner_whose_enrollment_was_revoked_cannot_rate(learner, course):
    enrolled(learner, course)
    revoke_enrollment(user=learner, course=course, reason="Refunded")
    with pytest.raises(ValidationError, match="Only learners enrolled"):
        services.rate_course(user=learner, course=course, stars=5)


def test_rating_again_updates_the_learners_one_rating(learner, course):
    rate(course, 2, user=learner, title="Meh")
    rate(course, 5, user=learner, title="Better on second look")
    rating = Rating.objects.get()
    assert (rating.stars, rating.title) == (5, "Better on second look")
    assert summary(course) == (Decimal("5.00"), 1)


def test_database_allows_one_rating_per_learner_and_course(learner, course):
    RatingFactory(user=learner, course=course)
    with pytest.raises(IntegrityError):
        RatingFactory(user=learner, course=course)


@pytest.mark.parametrize("stars", [0, 6])
def test_database_refuses_stars_outside_one_to_five(stars):
    with pytest.raises(IntegrityError):
        RatingFactory(stars=stars)


@pytest.mark.parametrize("stars", [0, 6, "abc", None])
def test_service_refuses_stars_outside_one_to_five(learner, course, stars):
    enrolled(learner, course)
    with pytest.raises(ValidationError) as error:
        services.rate_course(user=learner, course=course, stars=stars)
    assert "stars" in error.value.message_dict
    assert not Rating.objects.exists()


def test_service_refuses_a_review_longer_than_5000_characters(learner, course):
    enrolled(learner, course)
    with pytest.raises(ValidationError, match="under 5000 characters"):
        services.rate_course(user=learner, course=course, stars=3, body="x" * 5001)


def test_average_and_count_follow_new_ratings(course):
    rate(course, 5)
    rate(course, 4)
    rate(course, 4)
    assert summary(course) == (Decimal("4.33"), 3)


def test_average_and_count_follow_an_edit(learner, course):
    rate(course, 5)
    rate(course, 1, user=learner)
    assert summary(course) == (Decimal("3.00"), 2)
    rate(course, 4, user=learner)
    assert summary(course) == (Decimal("4.50"), 2)


def test_average_and_count_follow_a_delete(learner, course):
    rate(course, 5)
    rating = rate(course, 2, user=learner)
    services.delete_rating(user=learner, rating=rating)
    assert summary(course) == (Decimal("5.00"), 1)


def test_deleting_the_last_rating_resets_the_summary(learner, course):
    rating = rate(course, 3, user=learner)
    services.delete_rating(user=learner, rating=rating)
    assert summary(course) == (Decimal("0"), 0)


def test_average_is_rounded_half_up_to_two_decimals(course):
    rate(course, 1)
    rate(course, 2)
    rate(course, 2)
    assert summary(course) == (Decimal("1.67"), 3)


def test_only_the_author_can_delete_a_rating(learner, other_learner, course):
    rating = rate(course, 3, user=learner)
    with pytest.raises(PermissionDenied):
        services.delete_rating(user=other_learner, rating=rating)
    assert Rating.objects.filter(pk=rating.pk).exists()


def test_ratings_of_another_course_do_not_count(course):
    rate(course, 5)
    rate(CourseFactory(), 1)
    assert summary(course) == (Decimal("5.00"), 1)


def test_deleting_an_account_removes_its_ratings_from_the_average(learner, course):
    rate(course, 5)
    rate(course, 1, user=learner)
    delete_account(user=learner)
    assert summary(course) == (Decimal("5.00"), 1)


def test_deleting_an_account_removes_its_helpful_votes(learner, other_learner, course):
    review = rate(course, 4, user=other_learner)
    services.mark_helpful(user=learner, rating=review)
    delete_account(user=learner)
    review.refresh_from_db()
    assert review.helpful_count == 0


def test_recompute_command_repairs_a_stale_summary(course):
    rate(course, 4)
    Course.objects.filter(pk=course.pk).update(rating_average=1, rating_count=9)
    call_command("recompute_ratings", verbosity=0)
    assert summary(course) == (Decimal("4.00"), 1)
