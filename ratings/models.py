"""Stars and reviews that learners give the courses they study, and who found a review helpful."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


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
