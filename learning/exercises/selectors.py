"""Reads for the exercise part of a lesson page; the reference query never leaves here."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from courses.models import Lesson
from learning.models import DatasetTable, Exercise, ExerciseRun


@dataclass
class ExercisePanel:
    exercise: Exercise
    tables: list[DatasetTable]
    last_sql: str
    solved: bool


def exercise_panel(*, lesson: Lesson, user: User) -> ExercisePanel | None:
    """The task, dataset tables and the learner's last query, without the reference query."""
    exercise = (
        Exercise.objects.select_related("dataset", "lesson")
        .defer("reference_query")
        .filter(lesson=lesson)
        .first()
    )
    if exercise is None:
        return None
    tables = list(exercise.dataset.tables.defer("csv_text").order_by("name"))
    last_sql, solved = "", False
    if user.is_authenticated:
        runs = ExerciseRun.objects.filter(user=user, exercise=exercise)
        last = runs.only("sql").first()
        last_sql = last.sql if last else ""
        solved = runs.filter(verdict=ExerciseRun.Verdict.CORRECT).exists()
    return ExercisePanel(exercise=exercise, tables=tables, last_sql=last_sql, solved=solved)


def exercise_to_grade(*, lesson: Lesson) -> Exercise | None:
    """The exercise with its reference query, for grading only."""
    return Exercise.objects.select_related("dataset", "lesson").filter(lesson=lesson).first()
