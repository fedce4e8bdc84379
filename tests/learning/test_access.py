"""Who may open which lesson: previews, enrollments, revocations, drafts and staff."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from learning import services
from learning.models import Enrollment
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def lesson_url(lesson):
    return reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])


@pytest.fixture
def paid_course():
    """A paid course whose first lesson is a free preview."""
    course = course_with_lessons(3, price_amount=4900)
    first = lessons_of(course)[0]
    first.is_preview = True
    first.save()
    return course


def test_preview_lesson_opens_for_anonymous(client, paid_course):
    preview = lessons_of(paid_course)[0]
    response = client.get(lesson_url(preview))
    assert response.status_code == 200
    assert preview.title in response.content.decode()
    assert "Mark complete" not in response.content.decode()


def test_preview_lesson_opens_for_an_unenrolled_learner(client, other_learner, paid_course):
    client.force_login(other_learner)
    assert client.get(lesson_url(lessons_of(paid_course)[0])).status_code == 200


def test_anonymous_visitor_is_sent_to_log_in_for_a_paid_lesson(client, paid_course):
    lesson = lessons_of(paid_course)[1]
    response = client.get(lesson_url(lesson))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={lesson_url(lesson)}"


def test_unenrolled_learner_cannot_open_paid_lesson(client, other_learner, paid_course):
    client.force_login(other_learner)
    response = client.get(lesson_url(lessons_of(paid_course)[1]))
    assert response.url == paid_course.get_absolute_url()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Enrol in this course to open this lesson." in messages


def test_other_learner_cannot_open_a_lesson_someone_else_bought(
    client, learner, other_learner, paid_course
):
    EnrollmentFactory(user=learner, course=paid_course, source=Enrollment.Source.PURCHASE)
    client.force_login(other_learner)
    response = client.get(lesson_url(lessons_of(paid_course)[2]))
    assert response.status_code == 302
    assert response.url == paid_course.get_absolute_url()


def test_enrollment_in_one_course_does_not_open_another(client, learner, paid_course):
    EnrollmentFactory(user=learner, course=course_with_lessons(1))
    client.force_login(learner)
    response = client.get(lesson_url(lessons_of(paid_course)[1]))
    assert response.url == paid_course.get_absolute_url()


def test_enrolled_learner_can_open_every_lesson(client, learner, paid_course):
    EnrollmentFactory(user=learner, course=paid_course, source=Enrollment.Source.PURCHASE)
    client.force_login(learner)
    for lesson in lessons_of(paid_course):
        assert client.get(lesson_url(lesson)).status_code == 200


def test_revoked_enrollment_loses_access(client, learner, paid_course):
    EnrollmentFactory(user=learner, course=paid_course, source=Enrollment.Source.PURCHASE)
    services.revoke_enrollment(user=learner, course=paid_course, reason="refund")
    client.force_login(learner)
    response = client.get(lesson_url(lessons_of(paid_course)[1]))
    assert response.url == paid_course.get_absolute_url()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Your access to this course has ended." in messages


def test_revoked_enrollment_cannot_mark_lessons_complete(client, learner, paid_course):
    enrollment = EnrollmentFactory(user=learner, course=paid_course, source="purchase")
    services.revoke_enrollment(user=learner, course=paid_course, reason="refund")
    client.force_login(learner)
    lesson = lessons_of(paid_course)[1]
    client.post(reverse("learning:complete_lesson", args=[paid_course.slug, lesson.slug]))
    assert not enrollment.progress.exists()


def test_draft_course_lessons_are_404_for_enrolled_learners(client, learner, paid_course):
    EnrollmentFactory(user=learner, course=paid_course, source="purchase")
    paid_course.status, paid_course.published_at = "draft", None
    paid_course.save()
    client.force_login(learner)
    assert client.get(lesson_url(lessons_of(paid_course)[1])).status_code == 404


def test_draft_course_preview_is_404_for_anonymous(client, paid_course):
    paid_course.status, paid_course.published_at = "draft", None
    paid_course.save()
    assert client.get(lesson_url(lessons_of(paid_course)[0])).status_code == 404


def test_staff_can_open_any_lesson_without_enrolling(client, staff, paid_course):
    client.force_login(staff)
    assert client.get(lesson_url(lessons_of(paid_course)[2])).status_code == 200


def test_staff_can_open_lessons_of_a_draft_course(client, staff, paid_course):
    paid_course.status, paid_course.published_at = "draft", None
    paid_course.save()
    client.force_login(staff)
    assert client.get(lesson_url(lessons_of(paid_course)[2])).status_code == 200
