"""Running a query in an SQL exercise: verdicts, refusals, limits, access and completion."""

import pytest
from django.test import override_settings
from django.urls import reverse

from learning.models import ExerciseRun, LessonProgress
from tests.factories import EnrollmentFactory
from tests.learning.exercise_fixtures import (  # noqa: F401 - exercise_fixture is a fixture
    CORRECT,
    REFERENCE,
    WRONG,
    exercise_fixture,
)

pytestmark = pytest.mark.django_db(transaction=True)


def run_url(exercise):
    return reverse(
        "learning:run_exercise", args=[exercise.lesson.course.slug, exercise.lesson.slug]
    )


def lesson_url(exercise):
    return reverse("learning:lesson", args=[exercise.lesson.course.slug, exercise.lesson.slug])


@pytest.fixture
def enrolled(client, learner, exercise):
    enrollment = EnrollmentFactory(user=learner, course=exercise.lesson.course)
    client.force_login(learner)
    return enrollment


def test_a_correct_query_gets_a_correct_verdict_and_completes_the_lesson(
    client, enrolled, exercise
):
    response = client.post(run_url(exercise), {"sql": CORRECT})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Correct." in body
    assert "The lesson is complete." in body
    assert "<td>ada</td>" in body  # the result is shown as a table
    assert LessonProgress.objects.filter(enrollment=enrolled, lesson=exercise.lesson).exists()
    run = ExerciseRun.objects.get()
    assert (run.user, run.sql, run.verdict) == (enrolled.user, CORRECT, "correct")


def test_a_wrong_query_shows_the_first_difference_and_does_not_complete(client, enrolled, exercise):
    response = client.post(run_url(exercise), {"sql": WRONG})
    body = response.content.decode()
    assert "Not yet." in body
    assert "A row is missing from your result: (ada, 42.75)." in body
    assert not LessonProgress.objects.filter(enrollment=enrolled).exists()
    assert ExerciseRun.objects.get().verdict == "incorrect"


def test_the_reference_query_is_never_in_the_page(client, enrolled, exercise):
    for response in (
        client.get(lesson_url(exercise)),
        client.post(run_url(exercise), {"sql": WRONG}),
        client.post(run_url(exercise), {"sql": CORRECT}),
    ):
        assert response.status_code == 200
        assert REFERENCE not in response.content.decode()
        assert "max(amount)" not in REFERENCE  # sanity: the check above is meaningful


def test_the_exercise_page_has_a_labelled_editor_and_no_mark_complete_button(
    client, enrolled, exercise
):
    body = client.get(lesson_url(exercise)).content.decode()
    assert '<label for="id_sql">Your SQL query</label>' in body
    assert "<textarea" in body
    assert "Total <strong>amount</strong> per customer." in body
    assert "complete-button" not in body


@override_settings(SQL_SANDBOX_TIMEOUT_MS=200)
def test_a_slow_query_is_stopped_with_a_message(client, enrolled, exercise):
    response = client.post(run_url(exercise), {"sql": "SELECT pg_sleep(5)"})
    assert response.status_code == 200
    assert "took longer than 0.2 seconds" in response.content.decode()
    assert ExerciseRun.objects.get().verdict == "error"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DROP TABLE orders", "only SELECT queries"),
        ("CREATE TABLE x (id int)", "only SELECT queries"),
        ("SELECT 1; SELECT 2", "one statement at a time"),
        ("SELECT * FROM auth_user", "does not exist"),
    ],
)
def test_hostile_input_gets_a_message_not_an_error_page(client, enrolled, exercise, sql, message):
    response = client.post(run_url(exercise), {"sql": sql})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your query could not run." in body
    assert message.lower() in body.lower()


def test_an_empty_query_is_a_form_error(client, enrolled, exercise):
    response = client.post(run_url(exercise), {"sql": ""})
    assert response.status_code == 400
    assert "Write a query first." in response.content.decode()
    assert not ExerciseRun.objects.exists()


@override_settings(SQL_EXERCISE_RUNS_PER_MINUTE=3)
def test_runs_are_rate_limited_per_learner(client, enrolled, exercise, other_learner):
    for _ in range(3):
        assert client.post(run_url(exercise), {"sql": WRONG}).status_code == 200
    response = client.post(run_url(exercise), {"sql": CORRECT})
    assert response.status_code == 429
    assert "wait a moment" in response.content.decode()
    assert ExerciseRun.objects.count() == 3
    # Another learner has a budget of their own.
    EnrollmentFactory(user=other_learner, course=exercise.lesson.course)
    client.force_login(other_learner)
    assert client.post(run_url(exercise), {"sql": WRONG}).status_code == 200


def test_a_learner_without_access_cannot_run(client, other_learner, exercise):
    client.force_login(other_learner)
    response = client.post(run_url(exercise), {"sql": CORRECT})
    assert response.status_code == 302
    assert response["Location"] == exercise.lesson.course.get_absolute_url()
    assert not ExerciseRun.objects.exists()


def test_a_revoked_learner_cannot_run(client, learner, exercise):
    EnrollmentFactory(user=learner, course=exercise.lesson.course, revoked_at="2026-01-01T00:00Z")
    client.force_login(learner)
    assert client.post(run_url(exercise), {"sql": CORRECT}).status_code == 302
    assert not ExerciseRun.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, exercise):
    response = client.post(run_url(exercise), {"sql": CORRECT})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not ExerciseRun.objects.exists()


def test_mark_complete_is_refused_for_an_exercise_lesson(client, enrolled, exercise):
    url = reverse(
        "learning:complete_lesson", args=[exercise.lesson.course.slug, exercise.lesson.slug]
    )
    client.post(url)
    assert not LessonProgress.objects.filter(enrollment=enrolled).exists()


def test_the_last_query_is_kept_in_the_editor(client, enrolled, exercise):
    client.post(run_url(exercise), {"sql": WRONG})
    body = client.get(lesson_url(exercise)).content.decode()
    assert "max(amount)" in body
