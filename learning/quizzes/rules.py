"""When a learner may take a quiz again, and the completion rule for graded quiz lessons.

Kept apart from the services because learning.services.complete_lesson asks the completion rule
(a graded quiz lesson is completed only by passing it), and the services import that module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError

from courses.models import Lesson
from learning.models import Enrollment, Quiz, QuizAttempt


@dataclass
class Availability:
    attempts_used: int
    attempts_left: int | None  # None: unlimited
    wait_until: datetime | None  # set only while the learner must wait

    @property
    def can_start(self) -> bool:
        return self.attempts_left != 0 and self.wait_until is None

    @property
    def reason(self) -> str:
        if self.attempts_left == 0:
            return "You have used all your attempts at this quiz."
        if self.wait_until is not None:
            return "You can try again later."
        return ""


def availability(*, quiz: Quiz, enrollment: Enrollment, now: datetime) -> Availability:
    submitted = QuizAttempt.objects.filter(
        quiz=quiz, enrollment=enrollment, submitted_at__isnull=False
    )
    used = submitted.count()
    left = None if quiz.max_attempts is None else max(quiz.max_attempts - used, 0)
    wait_until = None
    if quiz.wait_minutes and used:
        last = submitted.order_by("-submitted_at").values_list("submitted_at", flat=True)[0]
        ready = last + timedelta(minutes=quiz.wait_minutes)
        wait_until = ready if ready > now else None
    return Availability(attempts_used=used, attempts_left=left, wait_until=wait_until)


def graded_quiz_of(lesson: Lesson) -> Quiz | None:
    if lesson.kind != Lesson.Kind.QUIZ:
        return None
    return Quiz.objects.filter(lesson=lesson, mode=Quiz.Mode.GRADED).first()


def check_graded_quiz_passed(*, enrollment: Enrollment, lesson: Lesson) -> None:
    """A graded quiz lesson is completed only by passing its quiz, so that "every lesson has
    progress" (course complete, certificates) implies every graded quiz was passed."""
    quiz = graded_quiz_of(lesson)
    if quiz is None:
        return
    if not QuizAttempt.objects.filter(quiz=quiz, enrollment=enrollment, passed=True).exists():
        raise ValidationError("Pass the quiz to complete this lesson.")
