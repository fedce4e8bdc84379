"""The "a new section is open" email: sent once per learner and section, on the day it opens,
never to those who opted out in their profile, nor about sections open when they enrolled."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from learning import tasks
from learning.models import SectionOpenNotice
from tests.courses.study_helpers import course_with_lessons
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def dripped_course(*, after_days=None, on=None):
    course = course_with_lessons(6, price_amount=0)
    second = course.sections.order_by("position").last()
    second.release_after_days, second.release_on = after_days, on
    second.title = "Window functions"
    second.save()
    return course


def enrol_at(user, course, moment):
    with time_machine.travel(moment, tick=False):
        return EnrollmentFactory(user=user, course=course)


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        return tasks.announce_opened_sections()


def test_learner_is_emailed_once_when_a_dated_section_opens(
    learner, django_capture_on_commit_callbacks
):
    course = dripped_course(on=date(2026, 3, 12))
    enrol_at(learner, course, datetime(2026, 3, 1, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_at(datetime(2026, 3, 11, 23, 0, tzinfo=UTC)) == 0
        assert run_at(datetime(2026, 3, 12, 0, 5, tzinfo=UTC)) == 1
        assert run_at(datetime(2026, 3, 12, 1, 5, tzinfo=UTC)) == 0
        assert run_at(datetime(2026, 3, 13, 0, 5, tzinfo=UTC)) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert "Window functions" in message.subject
    assert reverse("learning:lesson", args=[course.slug, "lesson-4"]) in message.body
    assert reverse("accounts:profile") in message.body  # how to opt out
    assert SectionOpenNotice.objects.count() == 1


def test_days_after_enrolment_email_the_learner_on_their_own_day(
    learner, other_learner, django_capture_on_commit_callbacks
):
    course = dripped_course(after_days=7)
    enrol_at(learner, course, datetime(2026, 3, 1, 9, tzinfo=UTC))
    enrol_at(other_learner, course, datetime(2026, 3, 3, 9, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_at(datetime(2026, 3, 8, 0, 5, tzinfo=UTC)) == 1
        assert run_at(datetime(2026, 3, 10, 0, 5, tzinfo=UTC)) == 1
    assert [m.to for m in mail.outbox] == [[learner.email], [other_learner.email]]


def test_a_learner_who_opted_out_gets_no_email(learner, django_capture_on_commit_callbacks):
    learner.section_emails = False
    learner.save()
    course = dripped_course(on=date(2026, 3, 12))
    enrol_at(learner, course, datetime(2026, 3, 1, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_at(datetime(2026, 3, 12, 0, 5, tzinfo=UTC)) == 0
    assert mail.outbox == []


def test_the_profile_checkbox_opts_out(client, learner):
    client.force_login(learner)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="section_emails"' in page and "checked" in page
    client.post(reverse("accounts:profile"), {"display_name": "Alice", "bio": ""})
    learner.refresh_from_db()
    assert learner.section_emails is False
    client.post(reverse("accounts:profile"), {"display_name": "Alice", "section_emails": "on"})
    learner.refresh_from_db()
    assert learner.section_emails is True


def test_a_section_already_open_at_enrolment_is_not_announced(
    learner, django_capture_on_commit_callbacks
):
    course = dripped_course(on=date(2026, 3, 12))
    enrol_at(learner, course, datetime(2026, 3, 12, 15, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_at(datetime(2026, 3, 13, 0, 5, tzinfo=UTC)) == 0
    assert mail.outbox == []


def test_a_revoked_learner_is_not_told(learner, django_capture_on_commit_callbacks):
    course = dripped_course(on=date(2026, 3, 12))
    enrol_at(learner, course, datetime(2026, 3, 1, tzinfo=UTC))
    from learning.services import revoke_enrollment

    revoke_enrollment(user=learner, course=course, reason="refund")
    with django_capture_on_commit_callbacks(execute=True):
        assert run_at(datetime(2026, 3, 12, 0, 5, tzinfo=UTC)) == 0


def test_a_job_down_for_two_days_still_announces_the_section(
    learner, django_capture_on_commit_callbacks
):
    course = dripped_course(on=date(2026, 3, 12))
    enrol_at(learner, course, datetime(2026, 3, 1, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_at(datetime(2026, 3, 14, 8, tzinfo=UTC)) == 1
    assert len(mail.outbox) == 1


def test_the_announcement_task_is_on_the_beat_schedule(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "learning.tasks.announce_opened_sections" in entries
