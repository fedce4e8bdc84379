"""Seller analytics against a small course whose figures are worked out by hand.

Course of 4 lessons; active learners (enrolled in the weeks of 5 and 19 January 2026):
  ann, ben, cat  all 4 lessons, last one 1, 3 and 10 days after enrolling -> median 3 days
  dan, eve       lessons 1-3
  fay            lesson 1
  gus            nothing
  hal            all 4 lessons but revoked (refunded): counted nowhere
Enrolled 7, started 6, completed 3. Finished: L1 6, L2 5, L3 5, L4 3. The falls between
consecutive lessons are 1, 0, 2: most drop off at lesson 4 (2 of the 5 who finished lesson 3).
"""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.analytics import selectors
from learning.analytics.overview import overview
from learning.models import Enrollment, LessonProgress
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 1, 5, 12, tzinfo=UTC)


def add_learner(course, name, *, enrolled, done, days_to_last=1, revoked=False):
    """An enrolment created at `enrolled` with the first `done` lessons completed, one per
    hour, the last `days_to_last` days after enrolling."""
    enrollment = EnrollmentFactory(user=UserFactory(email=f"{name}@example.com"), course=course)
    lessons = lessons_of(course)[:done]
    for index, lesson in enumerate(lessons):
        at = enrolled + timedelta(hours=index + 1)
        if index == len(lessons) - 1:
            at = enrolled + timedelta(days=days_to_last)
        progress = LessonProgress.objects.create(enrollment=enrollment, lesson=lesson)
        LessonProgress.objects.filter(pk=progress.pk).update(completed_at=at)
    fields = {"created_at": enrolled}
    if revoked:
        fields["revoked_at"] = enrolled + timedelta(days=20)
    Enrollment.objects.filter(pk=enrollment.pk).update(**fields)
    return enrollment


@pytest.fixture
def course(db):
    course = course_with_lessons(4, per_section=2, price_amount=0)
    add_learner(course, "ann", enrolled=MONDAY, done=4, days_to_last=1)
    add_learner(course, "ben", enrolled=MONDAY + timedelta(days=2), done=4, days_to_last=3)
    add_learner(course, "cat", enrolled=MONDAY + timedelta(days=15), done=4, days_to_last=10)
    add_learner(course, "dan", enrolled=MONDAY + timedelta(days=1), done=3)
    add_learner(course, "eve", enrolled=MONDAY + timedelta(days=1), done=3)
    add_learner(course, "fay", enrolled=MONDAY + timedelta(days=1), done=1)
    add_learner(course, "gus", enrolled=MONDAY + timedelta(days=1), done=0)
    add_learner(course, "hal", enrolled=MONDAY + timedelta(days=8), done=4, revoked=True)
    return course


def test_started_completed_and_median_time_to_complete(course):
    report = selectors.course_report(course=course)
    assert report.summary.enrollments == 7
    assert report.summary.started == 6
    assert report.summary.completed == 3
    assert report.summary.started_share == pytest.approx(6 / 7)
    assert report.summary.median_completion == timedelta(days=3)


def test_learners_who_finished_each_lesson_in_course_order(course):
    steps = selectors.course_report(course=course).steps
    assert [(s.position, s.title, s.finished) for s in steps] == [
        (1, "Lesson 1", 6),
        (2, "Lesson 2", 5),
        (3, "Lesson 3", 5),
        (4, "Lesson 4", 3),
    ]
    assert steps[3].share == pytest.approx(3 / 7)


def test_the_drop_off_lesson_is_the_largest_fall_from_the_lesson_before(course):
    drop = selectors.course_report(course=course).drop_off
    assert (drop.after.position, drop.lesson.position, drop.lost) == (3, 4, 2)
    assert drop.share == pytest.approx(2 / 5)


def test_no_drop_off_when_no_lesson_loses_learners():
    steps = [selectors.LessonStep(i, i, f"L{i}", 4, 1.0) for i in (1, 2, 3)]
    assert selectors.biggest_drop_off(steps) is None


def test_enrolments_per_week_without_gaps_and_without_revoked_ones(course):
    weeks = selectors.weekly_enrollments(course=course)
    assert [(w.start, w.enrollments) for w in weeks] == [
        (date(2026, 1, 5), 6),
        (date(2026, 1, 12), 0),  # hal's week: revoked
        (date(2026, 1, 19), 1),
    ]


def test_a_course_without_learners_has_empty_figures():
    course = course_with_lessons(2)
    report = selectors.course_report(course=course)
    assert report.summary.enrollments == 0
    assert report.summary.median_completion is None
    assert report.weeks == []
    assert report.drop_off is None


def test_the_overview_counts_every_course(course):
    other = course_with_lessons(1)
    add_learner(other, "ivy", enrolled=MONDAY, done=1)
    data = overview()
    assert [(c.course_id, c.enrollments, c.started, c.completed) for c in data.courses] == [
        (course.pk, 7, 6, 3),
        (other.pk, 1, 1, 1),
    ]
    assert (data.totals.enrollments, data.totals.started, data.totals.completed) == (8, 7, 4)


def test_quiz_pass_rates_count_learners_who_submitted_and_who_passed(course):
    quiz = apps.get_model("learning", "Quiz").objects.create(lesson=lessons_of(course)[1])
    attempts = apps.get_model("learning", "QuizAttempt").objects
    now = MONDAY + timedelta(days=2)

    def attempt(name, number, *, passed, submitted=True):
        enrollment = Enrollment.objects.get(user__email=f"{name}@example.com")
        attempts.create(
            quiz=quiz,
            user=enrollment.user,
            enrollment=enrollment,
            number=number,
            seed=number,
            submitted_at=now if submitted else None,
            passed=passed,
        )

    attempt("ann", 1, passed=False)
    attempt("ann", 2, passed=True)  # passed on the second try: one learner, passed
    attempt("ben", 1, passed=False)
    attempt("cat", 1, passed=False, submitted=False)  # still open: not counted
    attempt("hal", 1, passed=True)  # revoked: not counted

    [rate] = selectors.quiz_pass_rates(course=course)

    assert (rate.title, rate.learners, rate.passed) == ("Lesson 2", 2, 1)
    assert rate.share == pytest.approx(0.5)


def test_the_report_takes_the_same_queries_for_more_learners(course):
    with CaptureQueriesContext(connection) as small:
        selectors.course_report(course=course)
    for n in range(10):
        add_learner(course, f"extra{n}", enrolled=MONDAY + timedelta(days=30 + 7 * n), done=n % 5)
    with CaptureQueriesContext(connection) as large:
        selectors.course_report(course=course)
    assert len(small) == len(large) <= 6  # five, and one for quizzes when they exist


# Admin pages


def test_staff_see_the_course_figures_and_charts(client, staff, course):
    client.force_login(staff)
    url = reverse("admin:learning_courseanalytics_course", args=[course.pk])
    page = client.get(url).content.decode()
    assert "Median time to complete</th><td>3 days 0 h" in page
    assert "Lesson 4, “Lesson 4”: 2 of the 5" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2


def test_the_course_page_queries_do_not_grow_with_learners(client, staff, course):
    client.force_login(staff)
    url = reverse("admin:learning_courseanalytics_course", args=[course.pk])
    client.get(url)  # the session and the admin's first look-ups
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(10):
        add_learner(course, f"more{n}", enrolled=MONDAY + timedelta(days=3 * n), done=n % 5)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_staff_see_the_overview(client, staff, course):
    client.force_login(staff)
    page = client.get(reverse("admin:learning_courseanalytics_changelist")).content.decode()
    assert course.title in page
    assert reverse("admin:learning_courseanalytics_course", args=[course.pk]) in page


@pytest.mark.parametrize(
    "name,args",
    [
        ("admin:learning_courseanalytics_changelist", []),
        ("admin:learning_courseanalytics_course", ["course"]),
        ("admin:learning_courseanalytics_course_csv", ["course", "lessons"]),
        ("admin:learning_courseanalytics_csv", ["courses"]),
    ],
)
def test_a_learner_is_sent_to_the_admin_login(client, learner, course, name, args):
    client.force_login(learner)
    url = reverse(name, args=[course.pk if a == "course" else a for a in args])
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_staff_without_the_view_permission_are_refused(client, course):
    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    url = reverse("admin:learning_courseanalytics_course", args=[course.pk])
    assert client.get(url).status_code == 403


def test_the_lessons_csv_has_a_row_per_lesson(client, staff, course):
    client.force_login(staff)
    url = reverse("admin:learning_courseanalytics_course_csv", args=[course.pk, "lessons"])
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["position", "lesson_id", "lesson", "finished", "share_of_enrolled"]
    assert [(r[0], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("1", "Lesson 1", "6", "0.8571"),
        ("2", "Lesson 2", "5", "0.7143"),
        ("3", "Lesson 3", "5", "0.7143"),
        ("4", "Lesson 4", "3", "0.4286"),
    ]


def test_the_courses_csv_neutralises_formulas_in_titles(client, staff, course):
    course.title = "=HYPERLINK(1)"
    course.save()
    client.force_login(staff)
    response = client.get(reverse("admin:learning_courseanalytics_csv", args=["courses"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][2:] == ["'=HYPERLINK(1)", "7", "6", "3"]


def test_an_unknown_csv_table_is_not_found(client, staff, course):
    client.force_login(staff)
    url = reverse("admin:learning_courseanalytics_course_csv", args=[course.pk, "nope"])
    assert client.get(url).status_code == 404
    missing = reverse("admin:learning_courseanalytics_course", args=[987654])
    assert client.get(missing).status_code == 404


def test_the_admins_change_link_for_a_course_opens_its_figures(client, staff, course):
    client.force_login(staff)
    response = client.get(reverse("admin:learning_courseanalytics_change", args=[course.pk]))
    assert response.status_code == 302
    assert response.url == reverse("admin:learning_courseanalytics_course", args=[course.pk])
    assert client.get(reverse("admin:learning_courseanalytics_add")).status_code == 403
    bad = reverse("admin:learning_courseanalytics_change", args=["nope"])
    assert client.get(bad).status_code == 404
