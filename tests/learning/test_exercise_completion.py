"""Solving the course's last lesson, an SQL exercise, issues the certificate."""

import pytest
from django.core import mail
from django.urls import reverse

from learning.models import Certificate
from learning.services import mark_lesson_done
from tests.factories import EnrollmentFactory
from tests.learning.exercise_fixtures import CORRECT, exercise_fixture  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_solving_the_last_exercise_issues_the_certificate(client, learner, exercise):
    course = exercise.lesson.course
    enrollment = EnrollmentFactory(user=learner, course=course)
    mark_lesson_done(enrollment=enrollment, lesson=course.lessons.get(slug="intro"))
    assert not Certificate.objects.exists()
    client.force_login(learner)
    url = reverse("learning:run_exercise", args=[course.slug, exercise.lesson.slug])
    client.post(url, {"sql": CORRECT})
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.is_valid
    assert [m.subject for m in mail.outbox] == ["Your certificate for SQL basics"]
