"""Questions and answers under a lesson: upvotes, an accepted answer, staff moderation, and
each user's choice about Q&A emails.

The course is copied from the lesson (Question.save) so the course-wide list filters on one
column. Search is PostgreSQL full-text search over title and body: the GIN index is built on
the very expression learning.questions.selectors.search_vector() produces, so it is used.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.urls import reverse

from courses.models import Course, Lesson

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10000
SEARCH_CONFIG = "english"


def question_search_vector() -> SearchVector:
    """The indexed expression; search must build exactly this one for the index to apply."""
    return SearchVector("title", "body", config=SEARCH_CONFIG)


class QAPost(models.Model):
    """What a question and an answer share: an author, Markdown, votes and moderation."""

    # A deleted account leaves its posts as "Former member", so threads keep their sense.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH, help_text="Markdown (basic).")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    upvote_count = models.PositiveIntegerField(default=0, editable=False)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author else "Former member"


class Question(QAPost):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    answer_count = models.PositiveIntegerField(default=0, editable=False)  # visible answers
    accepted_answer = models.ForeignKey(
        "Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["course", "-created_at"], name="question_course_recent"),
            models.Index(fields=["lesson", "-created_at"], name="question_lesson_recent"),
            GinIndex(question_search_vector(), name="question_search"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.course_id = self.lesson.course_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("learning:question", args=[self.course.slug, self.pk])


class Answer(QAPost):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Marked at posting time: the badge says who answered then, not who is staff today.
    by_staff = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["question", "created_at"], name="answer_question_created")]

    def __str__(self) -> str:
        return f"Answer {self.pk} to question {self.question_id}"

    @property
    def anchor(self) -> str:
        return f"answer-{self.pk}"


class QuestionVote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="question_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} upvoted question {self.question_id}"


class AnswerVote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "answer"], name="answer_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} upvoted answer {self.answer_id}"


class QuestionEmailSettings(models.Model):
    """Whether a user gets Q&A emails (answers to their questions; new questions for staff)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qa_email_settings"
    )
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Q&A email settings"
        verbose_name_plural = "Q&A email settings"

    def __str__(self) -> str:
        return f"Q&A emails for {self.user_id}: {'on' if self.enabled else 'off'}"
