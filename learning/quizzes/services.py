"""Starting and submitting quiz attempts. Grading happens here, on the server, only.

One submission makes exactly one graded attempt: the attempt row exists from the start (the
form carries its id) and submit_attempt locks it, so a form posted twice at once is graded once
and the second post is refused.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from learning.models import Enrollment, Quiz, QuizAttempt, QuizOption
from learning.quizzes.grading import grade
from learning.quizzes.rules import availability
from learning.services import complete_lesson


def _check_enrollment(enrollment: Enrollment, quiz: Quiz) -> None:
    if enrollment.course_id != quiz.lesson.course_id:
        raise ValidationError("This quiz is not part of the course.")
    if not enrollment.is_active:
        raise ValidationError("Your access to this course has ended.")


@transaction.atomic
def start_attempt(*, quiz: Quiz, enrollment: Enrollment) -> QuizAttempt:
    """The learner's attempt in progress, or a new one if they may try (again)."""
    # The enrollment row lock orders concurrent starts by the same learner: the attempts
    # limit is checked and the next number taken without a race.
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    _check_enrollment(enrollment, quiz)
    open_attempt = QuizAttempt.objects.filter(
        quiz=quiz, enrollment=enrollment, submitted_at__isnull=True
    ).first()
    if open_attempt is not None:
        return open_attempt
    if not quiz.questions.exists():
        raise ValidationError("This quiz has no questions yet.")
    state = availability(quiz=quiz, enrollment=enrollment, now=timezone.now())
    if not state.can_start:
        raise ValidationError(state.reason)
    last = QuizAttempt.objects.filter(quiz=quiz, user_id=enrollment.user_id).aggregate(
        last=Max("number")
    )["last"]
    return QuizAttempt.objects.create(
        quiz=quiz,
        user_id=enrollment.user_id,
        enrollment=enrollment,
        number=(last or 0) + 1,
        seed=secrets.randbits(62),
    )


@transaction.atomic
def submit_attempt(*, attempt: QuizAttempt, answers: dict[str, object]) -> QuizAttempt:
    """Grade the answers once; a passed graded quiz completes its lesson.

    answers: {"<question id>": [option ids] or "text"}, as the quiz form cleans them.
    """
    attempt = (
        QuizAttempt.objects.select_for_update(of=("self",))
        .select_related("quiz__lesson", "enrollment")
        .get(pk=attempt.pk)
    )
    if attempt.is_submitted:
        raise ValidationError("This attempt was already submitted.")
    quiz = attempt.quiz
    _check_enrollment(attempt.enrollment, quiz)
    questions = list(
        quiz.questions.prefetch_related(
            Prefetch("options", queryset=QuizOption.objects.order_by("position", "id"))
        )
    )
    known = {str(question.id) for question in questions}
    result = grade(
        questions=questions,
        answers={key: value for key, value in answers.items() if key in known},
        pass_mark=quiz.pass_mark,
    )
    attempt.answers = {key: value for key, value in answers.items() if key in known}
    attempt.results = result.results
    attempt.score = result.score
    attempt.max_score = result.max_score
    attempt.passed = result.passed
    attempt.submitted_at = timezone.now()
    attempt.save(
        update_fields=["answers", "results", "score", "max_score", "passed", "submitted_at"]
    )
    if attempt.passed and quiz.is_graded:
        complete_lesson(enrollment=attempt.enrollment, lesson=quiz.lesson)
    return attempt
