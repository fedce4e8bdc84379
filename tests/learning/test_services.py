"""Enrolment and progress services, against the real database."""

import pytest
from django.core.exceptions import ValidationError

from courses.models import Course
from learning import services
from learning.models import Enrollment, LessonProgress
from pages.services import delete_account
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_enrolling_twice_creates_one_enrollment(learner):
    course = CourseFactory(price_amount=0)
    services.enroll(user=learner, course=course, source=Enrollment.Source.FREE)
    services.enroll(user=learner, course=course, source=Enrollment.Source.FREE)
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1
    course.refresh_from_db()
    assert course.enrollment_count == 1


def test_free_enrolment_in_a_paid_course_is_refused(learner):
    course = CourseFactory(price_amount=4900)
    with pytest.raises(ValidationError, match="paid"):
        services.enroll(user=learner, course=course, source=Enrollment.Source.FREE)
    assert not Enrollment.objects.exists()


def test_enrolling_again_restores_a_revoked_enrollment(learner):
    course = CourseFactory()
    services.enroll(user=learner, course=course, source=Enrollment.Source.PURCHASE)
    services.revoke_enrollment(user=learner, course=course, reason="refund")
    enrollment = services.enroll(user=learner, course=course, source=Enrollment.Source.PURCHASE)
    assert enrollment.is_active


def test_completing_a_lesson_twice_records_it_once(learner):
    course = course_with_lessons(3, price_amount=0)
    enrollment = EnrollmentFactory(user=learner, course=course)
    first = lessons_of(course)[0]
    services.complete_lesson(enrollment=enrollment, lesson=first)
    services.complete_lesson(enrollment=enrollment, lesson=first)
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1


def test_completing_a_lesson_moves_the_resume_point_to_the_next_lesson(learner):
    course = course_with_lessons(5, per_section=2)
    enrollment = EnrollmentFactory(user=learner, course=course)
    lessons = lessons_of(course)
    services.complete_lesson(enrollment=enrollment, lesson=lessons[1])  # last of section 1
    enrollment.refresh_from_db()
    assert enrollment.last_lesson == lessons[2]
    assert enrollment.last_activity_at is not None


def test_completing_the_last_lesson_keeps_it_as_the_resume_point(learner):
    course = course_with_lessons(2)
    enrollment = EnrollmentFactory(user=learner, course=course)
    last = lessons_of(course)[-1]
    services.complete_lesson(enrollment=enrollment, lesson=last)
    enrollment.refresh_from_db()
    assert enrollment.last_lesson == last


def test_a_lesson_from_another_course_cannot_be_completed(learner):
    enrollment = EnrollmentFactory(user=learner, course=course_with_lessons(1))
    stranger = lessons_of(course_with_lessons(1))[0]
    with pytest.raises(ValidationError, match="not part of the course"):
        services.complete_lesson(enrollment=enrollment, lesson=stranger)


def test_a_revoked_enrollment_cannot_complete_lessons(learner):
    course = course_with_lessons(1)
    enrollment = EnrollmentFactory(user=learner, course=course)
    services.revoke_enrollment(user=learner, course=course, reason="refund")
    enrollment.refresh_from_db()
    with pytest.raises(ValidationError, match="access to this course has ended"):
        services.complete_lesson(enrollment=enrollment, lesson=lessons_of(course)[0])
    assert not LessonProgress.objects.exists()


def test_uncompleting_a_lesson_removes_its_tick(learner):
    course = course_with_lessons(2)
    enrollment = EnrollmentFactory(user=learner, course=course)
    first = lessons_of(course)[0]
    services.complete_lesson(enrollment=enrollment, lesson=first)
    services.uncomplete_lesson(enrollment=enrollment, lesson=first)
    enrollment.refresh_from_db()
    assert not LessonProgress.objects.exists()
    assert enrollment.last_lesson == first


def test_visiting_a_lesson_records_it_as_the_resume_point(learner):
    course = course_with_lessons(3)
    enrollment = EnrollmentFactory(user=learner, course=course)
    second = lessons_of(course)[1]
    services.record_lesson_visit(enrollment=enrollment, lesson=second)
    enrollment.refresh_from_db()
    assert enrollment.last_lesson == second
    assert enrollment.last_activity_at is not None


def test_revoking_keeps_progress_for_a_later_return(learner):
    course = course_with_lessons(2)
    enrollment = EnrollmentFactory(user=learner, course=course)
    services.complete_lesson(enrollment=enrollment, lesson=lessons_of(course)[0])
    services.revoke_enrollment(user=learner, course=course, reason="refund")
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1


def test_deleting_an_account_takes_its_enrollment_out_of_the_course_count(learner):
    course = CourseFactory(price_amount=0)
    services.enroll(user=learner, course=course, source="free")
    assert Course.objects.get(pk=course.pk).enrollment_count == 1
    delete_account(user=learner)
    assert Course.objects.get(pk=course.pk).enrollment_count == 0


def test_a_purchase_is_honoured_after_the_course_was_unpublished(learner):
    course = CourseFactory(status="draft", published_at=None)
    enrollment = services.enroll(user=learner, course=course, source="purchase")
    assert enrollment.is_active
