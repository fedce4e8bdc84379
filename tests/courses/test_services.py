"""The catalog's services that other apps call."""

import pytest

from courses.models import Course
from courses.services import change_enrollment_count, set_course_rating
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_a_new_rating_summary_refreshes_cached_catalog_pages(
    learner, django_capture_on_commit_callbacks
):
    from core.cache_generations import current

    course = CourseFactory()
    before = current("catalog")
    with django_capture_on_commit_callbacks(execute=True):
        set_course_rating(course_id=course.pk, average="4.50", count=2)
    assert current("catalog") != before


def test_an_enrollment_count_never_goes_below_zero():
    course = CourseFactory()
    change_enrollment_count(course_ids=[course.pk], by=-1)
    assert Course.objects.get(pk=course.pk).enrollment_count == 0
    change_enrollment_count(course_ids=[course.pk], by=1)
    assert Course.objects.get(pk=course.pk).enrollment_count == 1
