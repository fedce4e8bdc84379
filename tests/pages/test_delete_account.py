"""Deleting an account runs through pages.services.delete_account, which lets each app put
right what the row's cascade would not, whether the learner or an admin deletes it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from courses.models import Course
from learning.services import enroll
from tests.factories import DEFAULT_PASSWORD, CourseFactory
from tests.ratings.factories import rate

pytestmark = pytest.mark.django_db


def course_state(course) -> tuple[int, Decimal | None, int]:
    course = Course.objects.get(pk=course.pk)
    return course.enrollment_count, course.rating_average, course.rating_count


def test_deleting_my_account_leaves_the_enrolment_count_and_the_average(
    client, learner, other_learner
):
    course = CourseFactory(price_amount=0)
    enroll(user=learner, course=course, source="free")
    rate(course, 1, user=learner)
    rate(course, 5, user=other_learner)
    client.force_login(learner)
    response = client.post(reverse("accounts:delete"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert course_state(course) == (1, Decimal("5.00"), 1)


def test_an_admin_deleting_a_learner_takes_them_out_of_the_enrolment_count(
    client, staff, learner, other_learner
):
    # (The admin refuses to delete a learner who has ratings: reviews are deleted by
    # moderation, not as a side effect.)
    course = CourseFactory(price_amount=0)
    enroll(user=learner, course=course, source="free")
    enroll(user=other_learner, course=course, source="free")
    client.force_login(staff)
    url = reverse("admin:accounts_user_delete", args=[learner.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert course_state(course)[0] == 1


def test_an_admin_deleting_learners_in_bulk_leaves_the_counts(client, staff, learner):
    course = CourseFactory(price_amount=0)
    enroll(user=learner, course=course, source="free")
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [learner.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert course_state(course)[0] == 0
