"""The support commands grant_enrollment and revoke_enrollment."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from learning.models import Enrollment
from tests.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_grant_enrollment_gives_access_recorded_as_admin(learner):
    course = CourseFactory(slug="sql-basics")
    output = run("grant_enrollment", "ALICE@example.com", "sql-basics")
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.source == Enrollment.Source.ADMIN and enrollment.is_active
    assert "Granted alice@example.com access to sql-basics." in output


def test_grant_enrollment_twice_keeps_one_enrollment(learner):
    CourseFactory(slug="sql-basics")
    run("grant_enrollment", "alice@example.com", "sql-basics")
    output = run("grant_enrollment", "alice@example.com", "sql-basics")
    assert Enrollment.objects.count() == 1
    assert "already has access" in output


def test_grant_enrollment_restores_revoked_access(learner):
    course = CourseFactory(slug="sql-basics")
    EnrollmentFactory(user=learner, course=course, source="purchase")
    run("revoke_enrollment", "alice@example.com", "sql-basics")
    run("grant_enrollment", "alice@example.com", "sql-basics")
    assert Enrollment.objects.get(user=learner, course=course).is_active


def test_grant_enrollment_works_for_a_draft_course(learner):
    CourseFactory(slug="beta", status="draft", published_at=None)
    run("grant_enrollment", "alice@example.com", "beta")
    assert Enrollment.objects.filter(user=learner).exists()


def test_grant_enrollment_with_an_unknown_email_is_a_clear_error(db):
    CourseFactory(slug="sql-basics")
    with pytest.raises(CommandError, match=r"No user with the email address 'nobody@example\.com'"):
        run("grant_enrollment", "nobody@example.com", "sql-basics")


def test_grant_enrollment_with_an_unknown_slug_is_a_clear_error(learner):
    with pytest.raises(CommandError, match="No course with the slug 'nope'"):
        run("grant_enrollment", "alice@example.com", "nope")


def test_revoke_enrollment_takes_access_away_with_the_reason(learner):
    course = CourseFactory(slug="sql-basics")
    EnrollmentFactory(user=learner, course=course)
    output = run("revoke_enrollment", "alice@example.com", "sql-basics", "--reason", "Chargeback")
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert not enrollment.is_active
    assert enrollment.revoked_reason == "Chargeback"
    assert "Revoked alice@example.com's access to sql-basics." in output


def test_revoke_enrollment_without_a_reason_says_support(learner):
    course = CourseFactory(slug="sql-basics")
    EnrollmentFactory(user=learner, course=course)
    run("revoke_enrollment", "alice@example.com", "sql-basics")
    assert Enrollment.objects.get().revoked_reason == "Revoked by support"


def test_revoke_enrollment_twice_says_it_was_already_revoked(learner):
    EnrollmentFactory(user=learner, course=CourseFactory(slug="sql-basics"))
    run("revoke_enrollment", "alice@example.com", "sql-basics")
    assert "already revoked" in run("revoke_enrollment", "alice@example.com", "sql-basics")


def test_revoke_enrollment_of_a_learner_who_is_not_enrolled_is_a_clear_error(learner):
    CourseFactory(slug="sql-basics")
    with pytest.raises(CommandError, match="is not enrolled in sql-basics"):
        run("revoke_enrollment", "alice@example.com", "sql-basics")


def test_revoke_enrollment_with_an_unknown_slug_is_a_clear_error(learner):
    with pytest.raises(CommandError, match="No course with the slug 'nope'"):
        run("revoke_enrollment", "alice@example.com", "nope")
