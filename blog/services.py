"""Every write on the blog: publishing, comments and their moderation, likes, email preferences."""

import logging
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from blog.models import (
    COMMENT_MAX_LENGTH,
    Comment,
    CommentLike,
    NotificationSettings,
    Post,
    PostLike,
)
from core.emails import send_templated_email

logger = logging.getLogger(__name__)

COMMENT_RATE_LIMIT = 5
COMMENT_RATE_WINDOW_SECONDS = 60
RATE_LIMIT_MESSAGE = (
    "You are commenting too quickly: at most 5 comments a minute. "
    "Please wait a moment and try again."
)
UNSUBSCRIBE_SALT = "blog.unsubscribe"


# --- Publishing ---------------------------------------------------------------------------


@transaction.atomic
def publish_post(*, post: Post, at: datetime | None = None) -> Post:
    """Publish now (or at a past moment); a published post keeps its original date."""
    post.status = Post.Status.PUBLISHED
    if at is not None or post.publish_at is None or post.publish_at > timezone.now():
        post.publish_at = at or timezone.now()
    post.save(update_fields=["status", "publish_at", "updated_at"])
    return post


@transaction.atomic
def schedule_post(*, post: Post, at: datetime) -> Post:
    if at <= timezone.now():
        raise ValidationError("A scheduled post needs a publish date in the future.")
    post.status = Post.Status.SCHEDULED
    post.publish_at = at
    post.save(update_fields=["status", "publish_at", "updated_at"])
    return post


@transaction.atomic
def unpublish_post(*, post: Post) -> Post:
    post.status = Post.Status.DRAFT
    post.save(update_fields=["status", "updated_at"])
    return post


# --- Comments -----------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something before posting.")
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(f"Comments can be at most {COMMENT_MAX_LENGTH} characters long.")
    return body


def _check_comment_rate(user: User) -> None:
    """At most COMMENT_RATE_LIMIT comments per window per user, counted in Redis."""
    key = f"blog:comment-rate:{user.pk}"
    try:
        cache.add(key, 0, timeout=COMMENT_RATE_WINDOW_SECONDS)
        count = cache.incr(key)
    except ValueError:
        # The key vanished (or Redis is down and errors are ignored): do not block writing.
        logger.warning("comment rate limit unavailable for user %s", user.pk)
        return
    if count is not None and count > COMMENT_RATE_LIMIT:
        raise ValidationError(RATE_LIMIT_MESSAGE)


@transaction.atomic
def add_comment(*, author: User, post: Post, body: str, parent: Comment | None = None) -> Comment:
    """A comment or a reply. A reply to a reply joins its top-level comment's thread."""
    body = _clean_body(body)
    if not post.is_public:
        raise ValidationError("Comments open once the post is published.")
    if parent is not None:
        if parent.post_id != post.pk:
            raise ValidationError("That comment belongs to another post.")
        if parent.parent_id is not None:
            parent = parent.parent
        if parent.is_removed:
            raise ValidationError("You cannot reply to a removed comment.")
    _check_comment_rate(author)
    comment = Comment.objects.create(post=post, author=author, parent=parent, body=body)
    _notify_about_comment(comment)
    return comment


@transaction.atomic
def edit_comment(*, comment: Comment, user: User, body: str) -> Comment:
    if comment.author_id != user.pk:
        raise PermissionDenied("You can only edit your own comments.")
    if comment.is_removed:
        raise ValidationError("A removed comment cannot be edited.")
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def delete_comment(*, comment: Comment, user: User) -> Comment | None:
    """Delete one's own comment; one with replies stays as a placeholder, its text erased."""
    if comment.author_id != user.pk:
        raise PermissionDenied("You can only delete your own comments.")
    if comment.parent_id is None and comment.replies.exists():
        comment.body = ""
        comment.is_removed = True
        comment.removed_by = user
        comment.removed_at = timezone.now()
        comment.save(update_fields=["body", "is_removed", "removed_by", "removed_at"])
        return comment
    comment.delete()
    return None


@transaction.atomic
def remove_comment(*, comment: Comment, by: User) -> Comment:
    """Staff moderation: hide the text, keep the place in the thread."""
    if not by.is_staff:
        raise PermissionDenied("Only staff can remove comments.")
    if not comment.is_removed:
        comment.is_removed = True
        comment.removed_by = by
        comment.removed_at = timezone.now()
        comment.save(update_fields=["is_removed", "removed_by", "removed_at"])
    return comment


@transaction.atomic
def restore_comment(*, comment: Comment, by: User) -> Comment:
    if not by.is_staff:
        raise PermissionDenied("Only staff can restore comments.")
    if comment.deleted_by_author:
        raise ValidationError("Its author deleted this comment; it cannot be restored.")
    comment.is_removed = False
    comment.removed_by = None
    comment.removed_at = None
    comment.save(update_fields=["is_removed", "removed_by", "removed_at"])
    return comment


# --- Likes --------------------------------------------------------------------------------


@transaction.atomic
def toggle_post_like(*, user: User, post: Post) -> tuple[bool, int]:
    """Like, or unlike when already liked; returns (liked, new count)."""
    if not post.is_public:
        raise ValidationError("Only published posts can be liked.")
    return _toggle_like(like_model=PostLike, target=post, user=user, post=post)


@transaction.atomic
def toggle_comment_like(*, user: User, comment: Comment) -> tuple[bool, int]:
    if comment.is_removed or not comment.post.is_public:
        raise ValidationError("This comment cannot be liked.")
    return _toggle_like(like_model=CommentLike, target=comment, user=user, comment=comment)


def _toggle_like(*, like_model, target: Post | Comment, **lookup) -> tuple[bool, int]:
    """One like per user: delete it if there, else create it; keep target.like_count in step."""
    deleted, _ = like_model.objects.filter(**lookup).delete()
    if deleted:
        delta, liked = -1, False
    else:
        _, liked = like_model.objects.get_or_create(**lookup)
        delta = 1 if liked else 0
    model = type(target)
    if delta:
        model.objects.filter(pk=target.pk).update(like_count=Greatest(F("like_count") + delta, 0))
    target.like_count = model.objects.values_list("like_count", flat=True).get(pk=target.pk)
    return liked, target.like_count


# --- Email notifications ------------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str) -> User:
    """The user a token was made for; raises signing.BadSignature (or User.DoesNotExist)."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("Malformed token")
    return User.objects.get(pk=data["u"])


def unsubscribe_url(user: User) -> str:
    return settings.SITE_URL + reverse("blog:unsubscribe", args=[unsubscribe_token(user)])


def wants_comment_emails(user: User) -> bool:
    return (
        user.is_active
        and not NotificationSettings.objects.filter(user=user, comment_emails=False).exists()
    )


@transaction.atomic
def set_comment_emails(*, user: User, enabled: bool) -> NotificationSettings:
    prefs, _ = NotificationSettings.objects.update_or_create(
        user=user, defaults={"comment_emails": enabled}
    )
    return prefs


def _notify_about_comment(comment: Comment) -> None:
    """Email the post's author about a new comment, or the parent's author about a reply."""
    if comment.parent_id is None:
        recipient, template = comment.post.author, "comment_posted"
    else:
        recipient, template = comment.parent.author, "reply_posted"
    if recipient is None or recipient.pk == comment.author_id:
        return
    if not wants_comment_emails(recipient):
        return
    unsubscribe = unsubscribe_url(recipient)
    send_templated_email(
        to=[recipient.email],
        template=template,
        context={
            "recipient": recipient,
            "commenter_name": comment.author.public_name,
            "post_title": comment.post.title,
            "body": comment.body,
            "comment_url": settings.SITE_URL + comment.get_absolute_url(),
            "unsubscribe_url": unsubscribe,
            "site_url": settings.SITE_URL,
        },
        # Mail clients show their own "Unsubscribe" button for it (RFC 2369).
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )
