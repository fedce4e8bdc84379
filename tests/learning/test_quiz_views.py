"""The quiz pages: who may start and submit, what the page shows before and after grading,
and the lesson page's completion button for graded quiz lessons."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from learning.models import LessonProgress, QuizAttempt
from learning.quizzes.services import start_attempt
from tests.factories import EnrollmentFactory
from tests.learning.quiz_factories import SECRETS, as_post, full_quiz, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return full_quiz(max_attempts=3)


def urls(quiz, attempt=None):
    args = [quiz.lesson.course.slug, quiz.lesson.slug]
    return {
        "lesson": reverse("learning:lesson", args=args),
        "start": reverse("learning:quiz_start", args=args),
        "attempt": attempt and reverse("learning:quiz_attempt", args=[*args, attempt.pk]),
    }


def enrolled_client(client, user, quiz):
    EnrollmentFactory(user=user, course=quiz.lesson.course)
    client.force_login(user)
    return client


def start(client, quiz) -> QuizAttempt:
    response = client.post(urls(quiz)["start"])
    assert response.status_code == 302
    return QuizAttempt.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def test_learner_starts_answers_and_sees_the_result(client, learner, quiz):
    enrolled_client(client, learner, quiz)
    attempt = start(client, quiz)
    page = client.get(urls(quiz, attempt)["attempt"])
    assert page.status_code == 200
    assert f'value="{attempt.pk}"' in page.content.decode()
    response = client.post(urls(quiz, attempt)["attempt"], as_post(right_answers(quiz)))
    assert response.status_code == 302
    result = client.get(response.url).content.decode()
    assert "100%" in result and "Passed" in result
    assert "EXPLANATION-of-question" in result and "FEEDBACK-right-answer" in result
    assert "3 attempts" not in result and "2 attempts left" in result
    assert LessonProgress.objects.filter(lesson=quiz.lesson).exists()


def test_the_quiz_page_leaks_no_answers_before_submission(client, learner, quiz):
    enrolled_client(client, learner, quiz)
    attempt = start(client, quiz)
    for url in (urls(quiz)["lesson"], urls(quiz, attempt)["attempt"]):
        html = client.get(url).content.decode()
        assert "is_correct" not in html
        for secret in SECRETS:
            assert secret not in html, f"{secret} leaked on {url}"


def test_a_wrong_answer_shows_feedback_without_revealing_the_right_option(client, learner, quiz):
    enrolled_client(client, learner, quiz)
    attempt = start(client, quiz)
    response = client.post(urls(quiz, attempt)["attempt"], {})
    result = client.get(response.url).content.decode()
    assert "Not passed" in result and "0%" in result
    assert "no answer" in result and "EXPLANATION-of-question" in result
    assert "accepted-secret-answer" not in result


def test_a_number_that_is_not_a_number_is_a_form_error_and_keeps_the_attempt(client, learner, quiz):
    enrolled_client(client, learner, quiz)
    attempt = start(client, quiz)
    numeric = quiz.questions.get(kind="numeric")
    response = client.post(urls(quiz, attempt)["attempt"], {f"q{numeric.id}": "lots"})
    assert response.status_code == 400
    assert "Enter a number" in response.content.decode()
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_a_bogus_option_id_is_a_form_error_not_a_500(client, learner, quiz):
    enrolled_client(client, learner, quiz)
    attempt = start(client, quiz)
    single = quiz.questions.get(kind="single")
    response = client.post(urls(quiz, attempt)["attempt"], {f"q{single.id}": "999999"})
    assert response.status_code == 400


def test_posting_an_attempt_again_does_not_regrade_it(client, learner, quiz):
    enrolled_client(client, learner, quiz)
    attempt = start(client, quiz)
    client.post(urls(quiz, attempt)["attempt"], {})
    response = client.post(urls(quiz, attempt)["attempt"], as_post(right_answers(quiz)))
    assert response.status_code == 200
    assert "already submitted" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_a_graded_quiz_lesson_has_no_mark_complete_button(client, learner, quiz):
    enrolled_client(client, learner, quiz)
    html = client.get(urls(quiz)["lesson"]).content.decode()
    assert "Start the quiz" in html
    assert 'id="complete-button"' not in html
    response = client.post(
        reverse("learning:complete_lesson", args=[quiz.lesson.course.slug, quiz.lesson.slug])
    )
    assert response.status_code == 302
    assert not LessonProgress.objects.exists()


def test_the_lesson_page_says_when_no_attempts_are_left(client, learner):
    quiz = full_quiz(max_attempts=1)
    enrolled_client(client, learner, quiz)
    attempt = start(client, quiz)
    client.post(urls(quiz, attempt)["attempt"], {})
    html = client.get(urls(quiz)["lesson"]).content.decode()
    assert "used all your attempts" in html
    assert "Start the quiz" not in html and "Try again" not in html
    assert client.post(urls(quiz)["start"]).status_code == 302
    assert QuizAttempt.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, quiz):
    for url in (urls(quiz)["start"],):
        response = client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_another_learners_attempt_is_not_found(client, learner, other_learner, quiz):
    enrolled_client(client, learner, quiz)
    attempt = start(client, quiz)
    enrolled_client(client, other_learner, quiz)
    assert client.get(urls(quiz, attempt)["attempt"]).status_code == 404
    assert client.post(urls(quiz, attempt)["attempt"], {}).status_code == 404
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_a_learner_without_access_cannot_start(client, other_learner, staff, quiz):
    client.force_login(other_learner)
    assert client.post(urls(quiz)["start"]).status_code == 404
    client.force_login(staff)  # staff may read the lesson but have no attempts
    assert client.post(urls(quiz)["start"]).status_code == 404
    assert not QuizAttempt.objects.exists()


def test_a_refunded_learner_cannot_submit(client, learner, quiz):
    enrolled_client(client, learner, quiz)
    attempt = start(client, quiz)
    attempt.enrollment.revoked_at = datetime(2026, 1, 1, tzinfo=UTC)
    attempt.enrollment.save()
    response = client.post(urls(quiz, attempt)["attempt"], as_post(right_answers(quiz)))
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_an_attempt_url_for_a_lesson_that_is_not_a_quiz_is_not_found(client, learner, quiz):
    enrolled_client(client, learner, quiz)
    attempt = start_attempt(quiz=quiz, enrollment=attempt_enrollment(learner, quiz))
    url = reverse("learning:quiz_attempt", args=[quiz.lesson.course.slug, "intro", attempt.pk])
    assert client.get(url).status_code == 404


def attempt_enrollment(user, quiz):
    return user.enrollments.get(course=quiz.lesson.course)
