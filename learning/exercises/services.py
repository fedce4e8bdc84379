"""Writes for SQL exercises: (re)loading a dataset's schema, and grading a learner's run.

A run executes the learner's SQL and the reference query in the sandbox (each as the runner
role, read-only, with a timeout), compares the results, stores the run, and a correct run
completes the lesson through learning.services.complete_lesson.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from learning import sql_sandbox
from learning.models import Dataset, Enrollment, Exercise, ExerciseRun
from learning.services import complete_lesson
from learning.sql_sandbox import QueryResult, SandboxError


class RateLimited(Exception):
    """Too many runs in the current window; the message is for the learner."""


@dataclass(frozen=True)
class RunOutcome:
    run: ExerciseRun
    result: QueryResult | None
    completed: bool

    @property
    def correct(self) -> bool:
        return self.run.verdict == ExerciseRun.Verdict.CORRECT


def load_dataset_tables(*, dataset: Dataset) -> Dataset:
    """Rebuild the dataset's schema from its stored CSV tables; SandboxError for a bad CSV."""
    tables = []
    for row in dataset.tables.order_by("name"):
        table = sql_sandbox.table_from_csv(name=row.name, text=row.csv_text)
        row.columns = [f"{name} {kind}" for name, kind in table.columns]
        row.row_count = len(table.rows)
        row.save(update_fields=["columns", "row_count"])
        tables.append(table)
    # DDL and the loader's role grants commit with the rows, or not at all.
    with transaction.atomic():
        sql_sandbox.load_dataset(schema=dataset.schema, tables=tables)
        dataset.loaded_at = timezone.now()
        dataset.save(update_fields=["loaded_at"])
    return dataset


def _take_run_slot(user: User) -> None:
    """A fixed window per learner: each run costs the sandbox two queries on the database."""
    limit = settings.SQL_EXERCISE_RUNS_PER_MINUTE
    window = int(timezone.now().timestamp() // 60)
    key = f"sqlx-runs:{user.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr, or Redis is down: fail open
        return
    if count > limit:
        raise RateLimited(
            f"You have run {limit} queries this minute; wait a moment before trying again."
        )


def run_exercise(
    *, user: User, exercise: Exercise, enrollment: Enrollment | None, sql: str
) -> RunOutcome:
    """Grade one run; SandboxError becomes a stored "error" run, RateLimited is raised."""
    _take_run_slot(user)
    schema = exercise.dataset.schema
    result = None
    try:
        result = sql_sandbox.run_query(schema=schema, query=sql)
        expected = sql_sandbox.run_query(schema=schema, query=exercise.reference_query)
    except SandboxError as error:
        verdict, message = ExerciseRun.Verdict.ERROR, str(error)
        # The reference query failing is our fault, not the learner's: say so without details.
        if result is not None:
            message = "This exercise cannot be checked right now; please tell us about it."
    else:
        judged = sql_sandbox.compare_results(
            got=result, expected=expected, ordered=exercise.order_matters
        )
        correct = judged.correct and not result.truncated
        verdict = ExerciseRun.Verdict.CORRECT if correct else ExerciseRun.Verdict.INCORRECT
        message = judged.message
    with transaction.atomic():
        run = ExerciseRun.objects.create(
            exercise=exercise,
            user=user,
            sql=sql[: sql_sandbox.MAX_QUERY_CHARS],
            verdict=verdict,
            message=message,
        )
        completed = False
        if verdict == ExerciseRun.Verdict.CORRECT and enrollment is not None:
            complete_lesson(enrollment=enrollment, lesson=exercise.lesson)
            completed = True
    return RunOutcome(run=run, result=result, completed=completed)
