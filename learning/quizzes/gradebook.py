"""The gradebook of a course: a row per learner, a column per quiz (best score, attempts).

Staff read it in the admin and download it as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from core.spreadsheets import spreadsheet_safe
from courses.models import Course
from learning.models import Enrollment, Quiz, QuizAttempt
from learning.selectors import LESSON_ORDER


@dataclass
class Cell:
    best_percent: int | None  # None: never submitted
    attempts: int
    passed: bool


@dataclass
class GradebookRow:
    enrollment: Enrollment
    cells: list[Cell]


@dataclass
class Gradebook:
    course: Course
    quizzes: list[Quiz]
    rows: list[GradebookRow]


def gradebook(*, course: Course) -> Gradebook:
    quizzes = list(
        Quiz.objects.filter(lesson__course=course)
        .select_related("lesson")
        .order_by(*(f"lesson__{x}" for x in LESSON_ORDER))
    )
    enrollments = list(
        Enrollment.objects.filter(course=course).select_related("user").order_by("user__email")
    )
    # Best percent per attempt (points per question may change between attempts).
    attempts = QuizAttempt.objects.filter(quiz__in=quizzes, submitted_at__isnull=False)
    cells: dict[tuple[int, int], Cell] = {}
    for enrollment_id, quiz_id, score, max_score, passed in attempts.values_list(
        "enrollment_id", "quiz_id", "score", "max_score", "passed"
    ):
        cell = cells.setdefault((enrollment_id, quiz_id), Cell(None, 0, False))
        percent = score * 100 // max_score if max_score else 0
        cell.best_percent = max(cell.best_percent or 0, percent)
        cell.attempts += 1
        cell.passed = cell.passed or passed
    rows = [
        GradebookRow(
            enrollment=enrollment,
            cells=[cells.get((enrollment.pk, quiz.pk), Cell(None, 0, False)) for quiz in quizzes],
        )
        for enrollment in enrollments
    ]
    return Gradebook(course=course, quizzes=quizzes, rows=rows)


def gradebook_csv(book: Gradebook) -> str:
    """One row per learner: email, name, access, then best %, attempts, passed per quiz."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["email", "name", "access"]
    for quiz in book.quizzes:
        title = quiz.lesson.title
        header += [f"{title}: best %", f"{title}: attempts", f"{title}: passed"]
    writer.writerow(header)
    for row in book.rows:
        user = row.enrollment.user
        line = [user.email, user.display_name, "active" if row.enrollment.is_active else "revoked"]
        for cell in row.cells:
            best = "" if cell.best_percent is None else cell.best_percent
            line += [best, cell.attempts, "yes" if cell.passed else "no"]
        writer.writerow([spreadsheet_safe(value) for value in line])
    return out.getvalue()
