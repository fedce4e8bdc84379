"""The "Free preview" badge invites people without the course in; owners have every lesson."""

import re

import pytest
from django.urls import reverse

from learning import services
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

# Any badge that announces a preview, whatever its exact wording.
PREVIEW_BADGE = re.compile(r'class="badge[^"]*">\s*(free )?preview\s*<', re.IGNORECASE)


@pytest.fixture
def course():
    course = course_with_lessons(3)
    first = lessons_of(course)[0]
    first.is_preview = True
    first.save()
    return course


def course_page(client, course) -> str:
    return client.get(reverse("courses:detail", args=[course.slug])).text


def preview_lesson_page(client, course) -> str:
    preview = lessons_of(course)[0]
    return client.get(reverse("learning:lesson", args=[course.slug, preview.slug])).text


def test_anonymous_visitor_sees_one_free_preview_badge_in_the_outline(client, course):
    assert len(PREVIEW_BADGE.findall(course_page(client, course))) == 1
    assert "Free preview" in course_page(client, course)


def test_learner_without_the_course_sees_the_free_preview_badge(client, learner, course):
    client.force_login(learner)
    assert len(PREVIEW_BADGE.findall(course_page(client, course))) == 1
    assert PREVIEW_BADGE.search(preview_lesson_page(client, course))


def test_enrolled_learner_sees_no_free_preview_badge_in_the_outline(client, learner, course):
    EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    html = course_page(client, course)
    assert "You are enrolled." in html
    assert not PREVIEW_BADGE.search(html)


def test_enrolled_learner_sees_no_free_preview_badge_on_the_preview_lesson(client, learner, course):
    EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    assert not PREVIEW_BADGE.search(preview_lesson_page(client, course))


def test_learner_whose_access_was_revoked_sees_the_badge_again(client, learner, course):
    EnrollmentFactory(user=learner, course=course)
    services.revoke_enrollment(user=learner, course=course, reason="Refunded")
    client.force_login(learner)
    assert len(PREVIEW_BADGE.findall(course_page(client, course))) == 1
