"""The blog: staff-written posts with tags, learners' comments (one level of replies), likes."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

WORDS_PER_MINUTE = 200
COMMENT_MAX_LENGTH = 5000


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:tag", args=[self.slug])


class PostQuerySet(models.QuerySet):
    def public(self, now=None) -> "PostQuerySet":
        """Posts anyone may read: published or scheduled, and their publish date has come."""
        return self.filter(
            status__in=[Post.Status.PUBLISHED, Post.Status.SCHEDULED],
            publish_at__lte=now or timezone.now(),
        )


def cover_path(instance: "Post", filename: str) -> str:
    return f"blog/covers/{timezone.now():%Y/%m}/{filename}"


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    excerpt = models.TextField(
        max_length=500, blank=True, help_text="One or two sentences for the index and feeds."
    )
    body = models.TextField(help_text="Markdown.")
    cover = models.ImageField(upload_to=cover_path, blank=True)
    cover_alt = models.CharField(
        "cover description", max_length=200, blank=True, help_text="Alt text for the cover."
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publish date",
        null=True,
        blank=True,
        help_text="Published and scheduled posts appear from this moment; "
        "left empty on a published post, it is set to now.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blog_posts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(publish_at__isnull=False),
                name="blog_post_public_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="blog_post_status_publish"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blog:post", args=[self.slug])

    def clean(self) -> None:
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if self.status == self.Status.SCHEDULED and self.publish_at is None:
            raise ValidationError({"publish_at": "A scheduled post needs a publish date."})

    @property
    def is_public(self) -> bool:
        return (
            self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    # A deleted account leaves its comments as "former member", so replies keep their context.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="blog_comments",
    )
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(max_length=COMMENT_MAX_LENGTH, help_text="Markdown (basic).")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_removed = models.BooleanField(default=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"], name="blog_comment_post_created")]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id} on {self.post_id}"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def deleted_by_author(self) -> bool:
        return (
            self.is_removed and self.author_id is not None and self.removed_by_id == self.author_id
        )

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author else "Former member"


class PostLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_post_likes"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="blog_post_like_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes post {self.post_id}"


class CommentLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_comment_likes"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="blog_comment_like_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes comment {self.comment_id}"


class NotificationSettings(models.Model):
    """Whether a user gets blog emails (comments on their posts, replies to their comments)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_notifications"
    )
    comment_emails = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "blog notification settings"
        verbose_name_plural = "blog notification settings"

    def __str__(self) -> str:
        return f"Blog emails for {self.user_id}: {'on' if self.comment_emails else 'off'}"
