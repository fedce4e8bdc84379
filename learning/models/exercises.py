"""Graded SQL exercises: datasets staff load from CSV, the exercise on a lesson, learners' runs.

A dataset's tables live in a PostgreSQL schema of their own (``sqlx_<slug>``) that only the
sandbox runner can read (learning.sql_sandbox); the rows here keep the CSV so the schema can
be rebuilt at any time (a restore, a new database) with learning.exercises.services.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from courses.models import Lesson

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{0,29}$",
    "Lowercase letters, digits and underscores, starting with a letter (at most 30).",
)
TABLE_NAME_VALIDATOR = RegexValidator(
    r"^[A-Za-z_][A-Za-z0-9_]{0,62}$", "Letters, digits and underscores only."
)


class Dataset(models.Model):
    name = models.CharField(max_length=200)
    slug = models.CharField(
        max_length=30,
        unique=True,
        validators=[SLUG_VALIDATOR],
        help_text="Names the schema the tables live in: sqlx_<slug>.",
    )
    description = models.TextField(blank=True, help_text="Markdown, shown to learners.")
    loaded_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return self.name

    @property
    def schema(self) -> str:
        return f"sqlx_{self.slug}"


class DatasetTable(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(max_length=63, validators=[TABLE_NAME_VALIDATOR])
    # The CSV as uploaded (header row first); the schema is rebuilt from it.
    csv_text = models.TextField("CSV")
    # "name type" per column, as the loader inferred them, shown to learners beside the task.
    columns = models.JSONField(default=list, blank=True, editable=False)
    row_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="dataset_table_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Exercise(models.Model):
    lesson = models.OneToOneField(
        Lesson,
        on_delete=models.CASCADE,
        related_name="exercise",
        limit_choices_to={"kind": Lesson.Kind.EXERCISE},
    )
    task = models.TextField(help_text="Markdown: what the learner's query should return.")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="exercises")
    # Staff only: never rendered to learners; its result is what a run is compared with.
    reference_query = models.TextField()
    order_matters = models.BooleanField(
        default=False, help_text="Rows must come in the reference query's order."
    )

    def __str__(self) -> str:
        return f"Exercise: {self.lesson}"


class ExerciseRun(models.Model):
    class Verdict(models.TextChoices):
        CORRECT = "correct", "Correct"
        INCORRECT = "incorrect", "Incorrect"
        ERROR = "error", "Refused or failed"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="runs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_runs"
    )
    sql = models.TextField()
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "exercise", "-created_at"], name="exercise_run_recent")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.exercise_id} · {self.verdict}"
