"""Stars and reviews that learners give the courses they study, who found a review helpful,
and reports of reviews that break the rules."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q

from learning.models import Enrollment


def _active_enrollment():
    return Enrollment.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), revoked_at__isnull=True
    )


class RatingQuerySet(models.QuerySet):
    def public(self) -> "RatingQuerySet":
        """Ratings that are shown and counted: not hidden by a moderator, and their author
        still has access to the course. Access ended by a refund or a lost dispute takes the
        review out; a restored enrollment brings it back, with nothing stored to undo."""
        return self.filter(Exists(_active_enrollment()), is_hidden=False)

    def with_access(self) -> "RatingQuerySet":
        """Annotate `learner_has_access` (for the admin, which shows every rating)."""
        return self.annotate(learner_has_access=Exists(_active_enrollment()))


class Rating(models.Model):
    """One learner's stars (and optional review) for one course; moderators may hide it."""

    MIN_STARS = 1
    MAX_STARS = 5

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_STARS), MaxValueValidator(MAX_STARS)]
    )
    title = models.CharField(max_length=120, blank=True)
    body = models.TextField("review", max_length=5000, blank=True, help_text="Markdown.")
    # Denormalised from ReviewHelpful so "most helpful" sorts without aggregating.
    helpful_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField("hidden", default=False)
    hidden_reason = models.CharField(max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="rating_unique_user_course"),
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_stars_1_5"
            ),
        ]
        indexes = [
            models.Index(
                fields=["course", "is_hidden", "-created_at"], name="rating_course_newest"
            ),
            models.Index(
                fields=["course", "is_hidden", "-helpful_count"], name="rating_course_helpful"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.course} by {self.user}"


class ReviewHelpful(models.Model):
    """A learner found a review helpful; at most once per learner and review."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="helpful_marks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "rating"], name="review_helpful_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} found {self.rating_id} helpful"


class ReviewReport(models.Model):
    """A learner tells the moderators that a review breaks the rules; once per learner and
    review. Moderators dismiss the report or hide the review (which closes its reports)."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        OFFENSIVE = "offensive", "Offensive, abusive or hateful"
        OFF_TOPIC = "off_topic", "Not about this course"
        PERSONAL_DATA = "personal_data", "Shares someone's personal data"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISMISSED = "dismissed", "Dismissed"
        REVIEW_HIDDEN = "review_hidden", "Review hidden"

    DETAILS_MAX_LENGTH = 1000

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(max_length=DETAILS_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "rating"], name="review_report_once"),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="review_report_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: review {self.rating_id} by {self.reporter}"
