"""Drip release: sections that open days after enrolment or on a date, in the site's time zone,
locked lessons in the outline and behind direct URLs, and staff and previews unaffected."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from learning import drip
from learning.models import Enrollment, LessonProgress
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

# 23:30 UTC on 1 March is already 2 March in Berlin (UTC+1 in winter).
LATE_EVENING_UTC = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


def lesson_url(lesson):
    return reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])


def file_url(lesson):
    return reverse("learning:lesson_file", args=[lesson.course.slug, lesson.slug])


def dripped_course(*, after_days=None, on=None):
    """A free course of two sections (three lessons each); the second one is dripped."""
    course = course_with_lessons(6, price_amount=0)
    second = course.sections.order_by("position").last()
    second.release_after_days, second.release_on = after_days, on
    second.save()
    return course


def enrol_at(user, course, moment):
    with time_machine.travel(moment, tick=False):
        return EnrollmentFactory(user=user, course=course)


def later_lesson(course):
    return lessons_of(course)[3]  # first lesson of the dripped section


# When a section opens


@pytest.mark.parametrize(
    ("zone", "opens"),
    [("UTC", date(2026, 3, 4)), ("Europe/Berlin", date(2026, 3, 5))],
)
def test_days_after_enrolment_count_from_the_enrolment_day_in_the_site_time_zone(
    learner, zone, opens
):
    course = dripped_course(after_days=3)
    enrollment = enrol_at(learner, course, LATE_EVENING_UTC)
    section = course.sections.order_by("position").last()
    with override_settings(TIME_ZONE=zone):
        assert drip.opens_on(section, enrollment.created_at) == opens


@override_settings(TIME_ZONE="Europe/Berlin")
def test_a_late_evening_enrolment_opens_at_midnight_site_time_not_utc(client, learner):
    course = dripped_course(after_days=3)
    enrol_at(learner, course, LATE_EVENING_UTC)  # 2 March in Berlin: opens 5 March, 00:00
    client.force_login(learner)
    # 22:59 UTC on 4 March is 23:59 in Berlin: still closed, though 3 UTC days have passed.
    with time_machine.travel(datetime(2026, 3, 4, 22, 59, tzinfo=UTC)):
        assert client.get(lesson_url(later_lesson(course))).status_code == 403
    # 23:00 UTC on 4 March is midnight in Berlin: open.
    with time_machine.travel(datetime(2026, 3, 4, 23, 0, tzinfo=UTC)):
        assert client.get(lesson_url(later_lesson(course))).status_code == 200


@override_settings(TIME_ZONE="America/New_York")
def test_a_fixed_date_opens_at_the_start_of_that_day_in_the_site_time_zone(client, learner):
    course = dripped_course(on=date(2026, 3, 12))
    enrol_at(learner, course, LATE_EVENING_UTC)
    client.force_login(learner)
    # Midnight UTC on 12 March is still 11 March, 19:00 in New York.
    with time_machine.travel(datetime(2026, 3, 12, 0, 0, tzinfo=UTC)):
        assert client.get(lesson_url(later_lesson(course))).status_code == 403
    with time_machine.travel(datetime(2026, 3, 12, 4, 0, tzinfo=UTC)):  # 00:00 EDT
        assert client.get(lesson_url(later_lesson(course))).status_code == 200


def test_a_section_without_a_rule_is_open_at_once(client, learner):
    course = course_with_lessons(6, price_amount=0)
    EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    assert client.get(lesson_url(later_lesson(course))).status_code == 200


def test_a_section_cannot_have_both_a_date_and_a_number_of_days(learner):
    from django.db import IntegrityError

    course = dripped_course(after_days=3)
    section = course.sections.order_by("position").last()
    section.release_on = date(2026, 3, 12)
    with pytest.raises(IntegrityError):
        section.save()


# What the learner sees


@time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
def test_outline_shows_locked_lessons_with_the_day_they_open_and_no_link(client, learner):
    course = dripped_course(on=date(2026, 3, 12))
    EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    html = client.get(lesson_url(lessons_of(course)[0])).content.decode()
    assert 'Opens on <time datetime="2026-03-12">12 March 2026</time>' in html
    assert f'href="{lesson_url(later_lesson(course))}"' not in html
    assert f'href="{lesson_url(lessons_of(course)[1])}"' in html


@time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
def test_course_page_curriculum_shows_when_locked_lessons_open(client, learner):
    course = dripped_course(on=date(2026, 3, 12))
    EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    html = client.get(course.get_absolute_url()).content.decode()
    assert html.count("Opens on") == 3


@time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
def test_direct_url_of_a_locked_lesson_says_when_it_opens_without_its_content(client, learner):
    course = dripped_course(on=date(2026, 3, 12))
    EnrollmentFactory(user=learner, course=course)
    lesson = later_lesson(course)
    lesson.body = "The **secret** of window functions."
    lesson.save()
    client.force_login(learner)
    response = client.get(lesson_url(lesson))
    html = response.content.decode()
    assert response.status_code == 403
    assert "which opens on" in html and "12 March 2026" in html
    assert "secret" not in html


@time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
def test_opening_a_locked_lesson_does_not_move_the_resume_point(client, learner):
    course = dripped_course(on=date(2026, 3, 12))
    enrollment = EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    client.get(lesson_url(later_lesson(course)))
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id is None


@time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
def test_a_locked_lesson_cannot_be_marked_complete(client, learner):
    course = dripped_course(on=date(2026, 3, 12))
    EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    lesson = later_lesson(course)
    response = client.post(reverse("learning:complete_lesson", args=[course.slug, lesson.slug]))
    assert response.status_code == 302
    assert not LessonProgress.objects.filter(lesson=lesson).exists()
    assert "opens on 12 March 2026" in " ".join(str(m) for m in get_messages(response.wsgi_request))


@time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
def test_the_file_of_a_locked_lesson_is_404(client, learner):
    course = dripped_course(on=date(2026, 3, 12))
    EnrollmentFactory(user=learner, course=course)
    lesson = later_lesson(course)
    lesson.file.save("answers.csv", ContentFile(b"a,b\n1,2\n"), save=True)
    client.force_login(learner)
    assert client.get(file_url(lesson)).status_code == 404


@time_machine.travel(datetime(2026, 3, 12, 0, 0, tzinfo=UTC))
def test_the_file_opens_with_its_section(client, learner):
    course = dripped_course(on=date(2026, 3, 12))
    with time_machine.travel(datetime(2026, 3, 2, tzinfo=UTC)):
        EnrollmentFactory(user=learner, course=course)
    lesson = later_lesson(course)
    lesson.file.save("answers.csv", ContentFile(b"a,b\n1,2\n"), save=True)
    client.force_login(learner)
    assert client.get(file_url(lesson)).status_code == 200


@time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
def test_staff_open_locked_lessons_and_their_files(client, staff):
    course = dripped_course(on=date(2026, 3, 12))
    lesson = later_lesson(course)
    lesson.file.save("answers.csv", ContentFile(b"a,b\n1,2\n"), save=True)
    client.force_login(staff)
    assert client.get(lesson_url(lesson)).status_code == 200
    assert client.get(file_url(lesson)).status_code == 200
    assert "Opens on" not in client.get(lesson_url(lessons_of(course)[0])).content.decode()


@time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
def test_a_free_preview_in_a_locked_section_stays_open(client, learner):
    course = dripped_course(on=date(2026, 3, 12))
    EnrollmentFactory(user=learner, course=course)
    lesson = later_lesson(course)
    lesson.is_preview = True
    lesson.save()
    client.force_login(learner)
    assert client.get(lesson_url(lesson)).status_code == 200
    assert client.get(lesson_url(lessons_of(course)[4])).status_code == 403


@time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
def test_another_learner_without_the_course_is_sent_to_enrol_not_told_the_date(
    client, learner, other_learner
):
    course = dripped_course(on=date(2026, 3, 12))
    EnrollmentFactory(user=learner, course=course)
    client.force_login(other_learner)
    response = client.get(lesson_url(later_lesson(course)))
    assert response.status_code == 302
    assert response.url == course.get_absolute_url()


def test_an_enrolment_without_a_dripped_section_has_no_locks(learner):
    course = course_with_lessons(3, price_amount=0)
    enrollment = EnrollmentFactory(user=learner, course=course)
    assert drip.locked_sections(course.sections.all(), enrollment) == {}
    assert drip.locked_sections(course.sections.all(), None) == {}
    assert Enrollment.objects.count() == 1


def test_seed_demo_gives_one_demo_course_a_dripped_section_once(client):
    from django.core.management import call_command

    from courses.models import Section

    call_command("seed_demo", verbosity=0)
    dripped = Section.objects.filter(release_after_days__isnull=False)
    assert [(s.course.slug, s.release_after_days) for s in dripped] == [("sql-fundamentals", 7)]
    call_command("seed_demo", verbosity=0)
    assert Section.objects.filter(release_after_days__isnull=False).count() == 1
    # The demo learner enrolled just now: that section is locked, with its opening day.
    client.login(email="learner@dataschool.local", password="study-data-2026")
    html = client.get(dripped.get().course.get_absolute_url()).content.decode()
    assert "Opens on" in html
