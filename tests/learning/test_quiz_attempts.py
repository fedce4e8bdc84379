"""Starting and submitting attempts: limits, waiting, shuffling, one grade per submission and
the completion rule (a graded quiz lesson is completed by passing, and only by passing)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from learning.models import LessonProgress, QuizAttempt
from learning.quizzes.selectors import in_attempt_order, question_views
from learning.quizzes.services import start_attempt, submit_attempt
from learning.services import complete_lesson
from tests.factories import CourseFactory, EnrollmentFactory
from tests.learning.quiz_factories import add_choice, full_quiz, make_quiz, right_answers

pytestmark = pytest.mark.django_db


def enrol(user, quiz):
    return EnrollmentFactory(user=user, course=quiz.lesson.course)


def fail(enrollment, quiz):
    return submit_attempt(attempt=start_attempt(quiz=quiz, enrollment=enrollment), answers={})


def test_passing_a_graded_quiz_completes_the_lesson(learner):
    quiz = full_quiz()
    enrollment = enrol(learner, quiz)
    attempt = submit_attempt(
        attempt=start_attempt(quiz=quiz, enrollment=enrollment), answers=right_answers(quiz)
    )
    assert (attempt.score, attempt.max_score, attempt.passed) == (5, 5, True)
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=quiz.lesson).exists()


def test_failing_a_graded_quiz_leaves_the_lesson_incomplete(learner):
    quiz = full_quiz()
    enrollment = enrol(learner, quiz)
    assert not fail(enrollment, quiz).passed
    assert not LessonProgress.objects.filter(enrollment=enrollment).exists()


def test_a_graded_quiz_lesson_cannot_be_marked_done_by_hand(learner):
    quiz = full_quiz()
    enrollment = enrol(learner, quiz)
    with pytest.raises(ValidationError, match="Pass the quiz"):
        complete_lesson(enrollment=enrollment, lesson=quiz.lesson)
    assert not LessonProgress.objects.exists()


def test_a_practice_quiz_neither_completes_nor_blocks_the_lesson(learner):
    quiz = full_quiz(mode="practice")
    enrollment = enrol(learner, quiz)
    submit_attempt(
        attempt=start_attempt(quiz=quiz, enrollment=enrollment), answers=right_answers(quiz)
    )
    assert not LessonProgress.objects.exists()
    complete_lesson(enrollment=enrollment, lesson=quiz.lesson)
    assert LessonProgress.objects.count() == 1


def test_starting_twice_resumes_the_same_attempt(learner):
    quiz = full_quiz()
    enrollment = enrol(learner, quiz)
    first = start_attempt(quiz=quiz, enrollment=enrollment)
    assert start_attempt(quiz=quiz, enrollment=enrollment) == first
    assert QuizAttempt.objects.count() == 1


def test_the_attempts_limit_is_enforced(learner):
    quiz = full_quiz(max_attempts=2)
    enrollment = enrol(learner, quiz)
    fail(enrollment, quiz)
    second = fail(enrollment, quiz)
    assert second.number == 2
    with pytest.raises(ValidationError, match="used all your attempts"):
        start_attempt(quiz=quiz, enrollment=enrollment)


def test_the_wait_between_attempts_is_enforced(learner):
    quiz = full_quiz(wait_minutes=30)
    enrollment = enrol(learner, quiz)
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        fail(enrollment, quiz)
    almost = start + timedelta(minutes=29, seconds=59)
    with (
        time_machine.travel(almost, tick=False),
        pytest.raises(ValidationError, match="try again later"),
    ):
        start_attempt(quiz=quiz, enrollment=enrollment)
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert start_attempt(quiz=quiz, enrollment=enrollment).number == 2


def test_a_second_submission_of_the_same_attempt_is_refused(learner):
    quiz = full_quiz()
    enrollment = enrol(learner, quiz)
    attempt = fail(enrollment, quiz)
    with pytest.raises(ValidationError, match="already submitted"):
        submit_attempt(attempt=attempt, answers=right_answers(quiz))
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_a_refunded_learner_cannot_submit(learner):
    quiz = full_quiz()
    enrollment = enrol(learner, quiz)
    attempt = start_attempt(quiz=quiz, enrollment=enrollment)
    enrollment.revoked_at = datetime(2026, 1, 1, tzinfo=UTC)
    enrollment.save()
    with pytest.raises(ValidationError, match="access to this course has ended"):
        submit_attempt(attempt=attempt, answers=right_answers(quiz))
    with pytest.raises(ValidationError):
        start_attempt(quiz=quiz, enrollment=enrollment)


def test_answers_to_questions_of_another_quiz_are_ignored(learner):
    quiz = full_quiz()
    other = make_quiz(course=CourseFactory(slug="other-course"))
    stray = add_choice(other)
    attempt = submit_attempt(
        attempt=start_attempt(quiz=quiz, enrollment=enrol(learner, quiz)),
        answers={str(stray.id): [stray.options.first().id]},
    )
    assert attempt.answers == {}


def test_shuffled_order_is_stable_per_attempt_and_differs_between_attempts(learner):
    quiz = make_quiz(shuffle_questions=True, shuffle_options=True)
    for _ in range(8):
        add_choice(quiz, "multiple", [(str(n), n == 0) for n in range(6)])
    enrollment = enrol(learner, quiz)
    attempt = start_attempt(quiz=quiz, enrollment=enrollment)
    first_view = question_views(attempt=attempt)
    reloaded = QuizAttempt.objects.get(pk=attempt.pk)
    assert question_views(attempt=reloaded) == first_view
    authored = [q.id for q in quiz.questions.order_by("position")]
    assert sorted(q.id for q in first_view) == sorted(authored)
    # Fixed seeds, so the test never flakes: two attempts see two orders, neither the authored.
    questions = list(quiz.questions.all())
    one = in_attempt_order(QuizAttempt(quiz=quiz, seed=1), questions)
    two = in_attempt_order(QuizAttempt(quiz=quiz, seed=2), questions)
    assert [q.id for q in one] != [q.id for q in two]
    assert authored not in ([q.id for q in one], [q.id for q in two])
    assert [o.text for o in one[0].shuffled_options] != [str(n) for n in range(6)]


@pytest.mark.django_db(transaction=True)
def test_the_same_form_posted_twice_at_once_is_graded_once(learner):
    quiz = full_quiz()
    enrollment = enrol(learner, quiz)
    attempt = start_attempt(quiz=quiz, enrollment=enrollment)
    answers = right_answers(quiz)
    outcomes = []
    barrier = threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            submit_attempt(attempt=attempt, answers=answers)
            outcomes.append("graded")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["graded", "refused"]
    assert QuizAttempt.objects.filter(submitted_at__isnull=False).count() == 1
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1
