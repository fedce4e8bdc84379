"""Reads for the quiz pages: the panel on a quiz lesson, an attempt's questions in its own
order, and the review of a submitted attempt.

The questions for an open attempt are handed to the page as QuestionView/OptionView, which carry
no correct answers, feedback or explanations: what the page cannot see it cannot leak.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from learning.models import Enrollment, Quiz, QuizAttempt, QuizOption, QuizQuestion
from learning.quizzes.rules import Availability, availability
from learning.selectors import Access, StudyPage


@dataclass
class OptionView:
    id: int
    text: str


@dataclass
class QuestionView:
    id: int
    number: int
    kind: str
    prompt: str
    points: int
    options: list[OptionView]


def _questions(quiz: Quiz) -> list[QuizQuestion]:
    options = Prefetch("options", queryset=QuizOption.objects.order_by("position", "id"))
    return list(quiz.questions.order_by("position", "id").prefetch_related(options))


def in_attempt_order(attempt: QuizAttempt, questions: list[QuizQuestion]) -> list[QuizQuestion]:
    """The questions (and their options, as `shuffled_options`) in this attempt's order.

    Seeded by the attempt, so the same attempt always shows the same order; string seeds are
    hashed with SHA-512 by random.Random, so the order is the same in every process.
    """
    ordered = list(questions)
    quiz = attempt.quiz
    if quiz.shuffle_questions:
        random.Random(f"{attempt.seed}:questions").shuffle(ordered)
    for question in ordered:
        options = list(question.options.all())
        if quiz.shuffle_options and question.kind != QuizQuestion.Kind.TRUE_FALSE:
            random.Random(f"{attempt.seed}:{question.id}").shuffle(options)
        question.shuffled_options = options
    return ordered


def question_views(*, attempt: QuizAttempt) -> list[QuestionView]:
    return [
        QuestionView(
            id=question.id,
            number=number,
            kind=question.kind,
            prompt=question.prompt,
            points=question.points,
            options=[OptionView(id=x.id, text=x.text) for x in question.shuffled_options],
        )
        for number, question in enumerate(in_attempt_order(attempt, _questions(attempt.quiz)), 1)
    ]


@dataclass
class QuizPanel:
    """What a quiz lesson shows: the rules, the learner's state and their last result."""

    quiz: Quiz | None  # None: the lesson is a quiz that has not been written yet
    question_count: int = 0
    enrollment: Enrollment | None = None
    open_attempt: QuizAttempt | None = None
    last_attempt: QuizAttempt | None = None
    best_percent: int | None = None
    passed: bool = False
    state: Availability | None = None

    @property
    def blocks_manual_completion(self) -> bool:
        return self.quiz is not None and self.quiz.is_graded

    @property
    def can_start(self) -> bool:
        return bool(self.enrollment and self.question_count and self.state.can_start)


def quiz_panel(*, study: StudyPage, user: User) -> QuizPanel:
    quiz = Quiz.objects.filter(lesson=study.lesson).first()
    if quiz is None:
        return QuizPanel(quiz=None)
    panel = QuizPanel(quiz=quiz, question_count=quiz.questions.count())
    enrollment = study.page.enrollment
    if enrollment is None or study.access != Access.OPEN:
        return panel
    attempts = list(QuizAttempt.objects.filter(quiz=quiz, enrollment=enrollment))
    submitted = [x for x in attempts if x.is_submitted]
    panel.enrollment = enrollment
    panel.open_attempt = next((x for x in attempts if not x.is_submitted), None)
    panel.last_attempt = max(submitted, key=lambda x: x.submitted_at, default=None)
    panel.best_percent = max((x.percent for x in submitted), default=None)
    panel.passed = any(x.passed for x in submitted)
    panel.state = availability(quiz=quiz, enrollment=enrollment, now=timezone.now())
    return panel


def own_attempt(*, study: StudyPage, user: User, attempt_id: int) -> QuizAttempt:
    """The user's attempt at this lesson's quiz, while they have access; else 404."""
    enrollment = study.page.enrollment
    if enrollment is None or study.access != Access.OPEN:
        raise Http404("No such attempt.")
    attempt = (
        QuizAttempt.objects.select_related("quiz")
        .filter(pk=attempt_id, enrollment=enrollment, user=user, quiz__lesson=study.lesson)
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


@dataclass
class ReviewOption:
    text: str
    chosen: bool
    is_correct: bool
    feedback: str


@dataclass
class ReviewItem:
    number: int
    question: QuizQuestion
    correct: bool
    awarded: int
    answer_text: str  # number and short-text questions: what the learner typed
    options: list[ReviewOption] = field(default_factory=list)
    show_correct: bool = False  # practice quizzes show the right options too


@dataclass
class AttemptReview:
    attempt: QuizAttempt
    items: list[ReviewItem]
    state: Availability
    wait_until: datetime | None


def attempt_review(*, attempt: QuizAttempt) -> AttemptReview:
    """A submitted attempt question by question, with feedback on the chosen options and each
    explanation. Graded quizzes do not reveal the right options of a wrong answer (the learner
    may try again); practice quizzes do."""
    quiz = attempt.quiz
    items = []
    for number, question in enumerate(in_attempt_order(attempt, _questions(quiz)), 1):
        answer = attempt.answers.get(str(question.id))
        result = attempt.results.get(str(question.id), {"awarded": 0, "correct": False})
        chosen = {int(x) for x in answer} if question.is_choice and answer else set()
        items.append(
            ReviewItem(
                number=number,
                question=question,
                correct=result["correct"],
                awarded=result["awarded"],
                answer_text="" if question.is_choice else str(answer or ""),
                options=[
                    ReviewOption(
                        text=option.text,
                        chosen=option.id in chosen,
                        is_correct=option.is_correct,
                        feedback=option.feedback if option.id in chosen else "",
                    )
                    for option in question.shuffled_options
                ],
                show_correct=not quiz.is_graded,
            )
        )
    state = availability(quiz=quiz, enrollment=attempt.enrollment, now=timezone.now())
    return AttemptReview(attempt=attempt, items=items, state=state, wait_until=state.wait_until)
