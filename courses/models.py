"""The catalog: categories, courses, sections and lessons (who studies what is in learning)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse

from courses.storage import LessonFileField, lesson_file_name, protected_storage


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("courses:category", args=[self.slug])


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Level(models.TextChoices):
        BEGINNER = "beginner", "Beginner"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    subtitle = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    outcomes = models.TextField(
        "what you will learn", blank=True, help_text="One outcome per line."
    )
    cover = models.ImageField(upload_to="covers/", blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="courses")
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.BEGINNER)
    language = models.CharField(max_length=10, default="en", help_text="ISO 639-1 code, e.g. en.")
    duration_minutes = models.PositiveIntegerField(default=0)
    # Money is integer minor units (cents) plus an ISO 4217 code; 0 means free.
    price_amount = models.PositiveIntegerField(default=0, help_text="In cents; 0 is free.")
    currency = models.CharField(max_length=3, default="EUR")
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses_taught",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept up to date by ratings (through courses.services) and by enroll, so that listing
    # and sorting never aggregate at read time.
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    enrollment_count = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(null=True, editable=False)
    # A course to complete first (every lesson done); learning enforces it on free enrolment
    # and checkout, never on a payment already taken or access granted by staff.
    prerequisite = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="required_by",
        help_text="Learners must complete every lesson of this course before they can enrol.",
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(prerequisite=models.F("pk")), name="course_not_own_prerequisite"
            ),
            models.CheckConstraint(
                condition=Q(price_amount__gte=0), name="course_price_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(rating_average__gte=0) & Q(rating_average__lte=5),
                name="course_rating_average_0_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="course_published_has_date",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="course_search_gin"),
            GinIndex(fields=["title"], name="course_title_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["status", "-published_at"], name="course_status_published"),
            models.Index(fields=["status", "category"], name="course_status_category"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:detail", args=[self.slug])

    @property
    def is_free(self) -> bool:
        return self.price_amount == 0

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Section(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    # Drip release (learning/drip.py applies it): at most one of the two. Either way a section
    # opens at the start of a day (midnight) in settings.TIME_ZONE.
    release_after_days = models.PositiveIntegerField(
        "opens days after enrolment",
        null=True,
        blank=True,
        help_text="Opens this many days after the learner enrolled (0 or empty: at once).",
    )
    release_on = models.DateField(
        "opens on",
        null=True,
        blank=True,
        help_text="Opens for everyone on this date, at midnight in the site's time zone.",
    )

    class Meta:
        ordering = ["course", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(release_after_days__isnull=True) | Q(release_on__isnull=True),
                name="section_one_release_rule",
                violation_error_message="Choose either a number of days or a date, not both.",
            ),
            models.UniqueConstraint(
                fields=["course", "position"],
                name="section_unique_position",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        TEXT = "text", "Text"
        FILE = "file", "Downloadable file"
        # Graded lessons: completed only by passing them (learning owns the grading).
        QUIZ = "quiz", "Quiz"
        EXERCISE = "exercise", "SQL exercise"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="lessons")
    # Denormalised from section so a course's lessons are one indexed query.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    video_url = models.URLField(blank=True, help_text="YouTube or Vimeo URL for video lessons.")
    body = models.TextField(blank=True, help_text="Markdown.")
    # Paid content: kept out of public media, served only by the access-checked view.
    file = LessonFileField(
        upload_to=lesson_file_name, storage=protected_storage, max_length=255, blank=True
    )
    estimated_minutes = models.PositiveIntegerField(default=5)
    is_preview = models.BooleanField("free preview", default=False)

    class Meta:
        ordering = ["section__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="lesson_unique_slug"),
            models.UniqueConstraint(
                fields=["section", "position"],
                name="lesson_unique_position",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=~Q(kind="video") | ~Q(video_url=""), name="lesson_video_has_url"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # course is denormalised from section: it follows the section on every save, whoever
        # saves (admin, services, seeding, factories), so the two can never disagree.
        if self.section_id is not None:
            self.course_id = self.section.course_id
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "section" in update_fields:
                kwargs["update_fields"] = {*update_fields, "course"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("learning:lesson", args=[self.course.slug, self.slug])
