"""The enrolment admin's revoke action takes the learner's rating out of the average too."""

from decimal import Decimal

import pytest
from django.urls import reverse

from learning.models import Enrollment
from tests.factories import CourseFactory, UserFactory
from tests.ratings.factories import rate

pytestmark = pytest.mark.django_db


def revoke_in_admin(client, *enrollments):
    return client.post(
        reverse("admin:learning_enrollment_changelist"),
        {"action": "revoke", "_selected_action": [e.pk for e in enrollments]},
    )


def test_revoking_in_the_admin_takes_the_rating_out_of_the_course_average(client, staff, learner):
    course = CourseFactory()
    rate(course, 5, user=learner)
    rate(course, 1, user=UserFactory())
    course.refresh_from_db()
    assert (course.rating_average, course.rating_count) == (Decimal("3.00"), 2)
    client.force_login(staff)

    revoke_in_admin(client, Enrollment.objects.get(user=learner, course=course))

    course.refresh_from_db()
    assert (course.rating_average, course.rating_count) == (Decimal("1.00"), 1)
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.revoked_at is not None
    assert enrollment.revoked_reason == "Revoked in admin by staff@example.com"


def test_revoking_in_the_admin_skips_enrolments_already_revoked(client, staff, learner):
    course = CourseFactory()
    rate(course, 4, user=learner)
    enrollment = Enrollment.objects.get(user=learner, course=course)
    client.force_login(staff)
    revoke_in_admin(client, enrollment)
    enrollment.refresh_from_db()
    first_revoked_at = enrollment.revoked_at

    response = revoke_in_admin(client, enrollment)

    enrollment.refresh_from_db()
    assert enrollment.revoked_at == first_revoked_at
    # The first message is still queued: no page was shown in between.
    assert [str(m) for m in response.wsgi_request._messages][-1] == "0 enrolment(s) revoked."
