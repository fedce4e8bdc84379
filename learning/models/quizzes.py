"""Quizzes: a quiz lesson's questions and options (authored by staff in the admin), and each
learner's attempts with their answers and grades.

The correct answers (QuizOption.is_correct, QuizQuestion.numeric_answer, accepted_answers) are
read only by learning.quizzes.grading and the result page, never by the page that shows the
questions.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from courses.models import Lesson
from learning.models.enrollments import Enrollment


class Quiz(models.Model):
    class Mode(models.TextChoices):
        # Graded: passing completes the lesson, and only passing does.
        GRADED = "graded", "Graded (passing completes the lesson)"
        PRACTICE = "practice", "Practice (no effect on completion)"

    lesson = models.OneToOneField(
        Lesson,
        on_delete=models.CASCADE,
        related_name="quiz",
        limit_choices_to={"kind": Lesson.Kind.QUIZ},
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.GRADED)
    pass_mark = models.PositiveSmallIntegerField(
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percent of the points needed to pass.",
    )
    max_attempts = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty for unlimited attempts."
    )
    wait_minutes = models.PositiveIntegerField(
        default=0, help_text="Minutes a learner waits after an attempt before the next one."
    )
    shuffle_questions = models.BooleanField(default=True)
    shuffle_options = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_percent"),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gt=0),
                name="quiz_max_attempts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Quiz: {self.lesson}"

    @property
    def is_graded(self) -> bool:
        return self.mode == self.Mode.GRADED


class QuizQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice (all correct options, nothing else)"
        TRUE_FALSE = "true_false", "True / false"
        NUMERIC = "numeric", "Number (with a tolerance)"
        TEXT = "text", "Short text"

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE)

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    prompt = models.TextField(help_text="Markdown.")
    explanation = models.TextField(blank=True, help_text="Shown after grading. Markdown.")
    points = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    numeric_answer = models.DecimalField(
        max_digits=20, decimal_places=6, null=True, blank=True, help_text="Number questions."
    )
    tolerance = models.DecimalField(
        max_digits=20,
        decimal_places=6,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Number questions: answers within ± this of the answer are right.",
    )
    accepted_answers = models.TextField(
        blank=True,
        help_text="Short-text questions: one accepted answer per line "
        "(case and extra spaces are ignored).",
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=1), name="question_points_positive"),
            models.CheckConstraint(
                condition=~Q(kind="numeric") | Q(numeric_answer__isnull=False),
                name="question_numeric_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.prompt[:60]

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class QuizOption(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    feedback = models.TextField(blank=True, help_text="Shown after grading to whoever chose it.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class QuizAttempt(models.Model):
    """Created when the learner starts the quiz (the form carries its id); submitted once."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveIntegerField()
    # Seeds the question and option order, so a reload shows the same order.
    seed = models.BigIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # {"<question id>": [option ids] | "text"}, as submitted.
    answers = models.JSONField(default=dict, blank=True)
    # {"<question id>": {"awarded": points, "correct": bool}}, from grading at submission.
    results = models.JSONField(default=dict, blank=True)
    score = models.PositiveIntegerField(default=0)
    max_score = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="quiz_attempt_unique_number"
            ),
            # At most one attempt in progress per learner and quiz.
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(submitted_at__isnull=True),
                name="quiz_attempt_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["quiz", "user", "-submitted_at"], name="quiz_attempt_recent")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} · #{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def percent(self) -> int:
        """Whole percent, rounded down (a pass is decided on exact points, not on this)."""
        return self.score * 100 // self.max_score if self.max_score else 0
