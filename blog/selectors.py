"""Reads the blog pages need, each with a fixed number of queries whatever the data size."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from blog.models import Comment, CommentLike, Post, PostLike, Tag
from core.markdown import render_markdown

BODY_CACHE_SECONDS = 7 * 24 * 3600

# --- Cache version ------------------------------------------------------------------------
# Anonymous blog pages are cached whole (blog.views) under a key carrying this version. Any
# saved or deleted post, tag, comment or like replaces it (the receivers below: cache
# invalidation only). A scheduled post needs no write to appear, so saving one also notes its
# publish time, and the version is replaced once that time has come. (Should Redis lose that
# note, the page timeout in blog.views bounds the delay.)
BLOG_VERSION_KEY = "blog:version"
BLOG_SCHEDULE_KEY = "blog:scheduled-publish-times"


def blog_cache_version() -> str:
    found = cache.get_many([BLOG_VERSION_KEY, BLOG_SCHEDULE_KEY])
    version, schedule = found.get(BLOG_VERSION_KEY), found.get(BLOG_SCHEDULE_KEY) or []
    now = timezone.now()
    if version is None or any(at <= now for at in schedule):
        version = uuid.uuid4().hex
        cache.set_many(
            {BLOG_VERSION_KEY: version, BLOG_SCHEDULE_KEY: [at for at in schedule if at > now]},
            timeout=None,
        )
    return version


def bump_blog_version() -> None:
    cache.set(BLOG_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _note_scheduled_publish(at: datetime) -> None:
    schedule = cache.get(BLOG_SCHEDULE_KEY) or []
    cache.set(BLOG_SCHEDULE_KEY, sorted({*schedule, at}), timeout=None)


@receiver(post_save, sender=Post)
@receiver(post_delete, sender=Post)
@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
@receiver(m2m_changed, sender=Post.tags.through)
@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
@receiver(post_save, sender=PostLike)
@receiver(post_delete, sender=PostLike)
@receiver(post_save, sender=CommentLike)
@receiver(post_delete, sender=CommentLike)
def blog_changed(sender, instance=None, **kwargs) -> None:
    # Now, for this process, and after commit, so a page cached meanwhile from old rows is not
    # kept. Like counters are bulk updates next to a like row's save or delete: covered.
    bump_blog_version()
    transaction.on_commit(bump_blog_version)
    if isinstance(instance, Post) and instance.publish_at and instance.publish_at > timezone.now():
        _note_scheduled_publish(instance.publish_at)


def public_posts(*, tag: Tag | None = None):
    """Published posts, newest first, with their author and tags (two queries per page)."""
    posts = (
        Post.objects.public()
        .select_related("author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )
    if tag is not None:
        posts = posts.filter(tags=tag)
    return posts


def get_post_for_viewer(*, slug: str, user: User) -> Post:
    """The post at this slug: public posts for everyone, any post for staff (preview)."""
    posts = Post.objects.select_related("author").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )
    if not (user.is_authenticated and user.is_staff):
        posts = posts.public()
    try:
        return posts.get(slug=slug)
    except Post.DoesNotExist as exc:
        raise Http404("No such post") from exc


def rendered_body(post: Post) -> SafeString:
    """The post's sanitised HTML, cached under a key that changes whenever the post is saved."""
    key = f"blog:post-body:{post.pk}:{post.updated_at.timestamp()}"
    html = cache.get(key)
    if html is None:
        html = str(render_markdown(post.body))
        cache.set(key, html, BODY_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered and sanitised by render_markdown


@dataclass
class PostPage:
    post: Post
    body_html: SafeString
    comments: list[Comment]  # top-level, each with .thread_replies
    comment_count: int
    liked_post: bool
    liked_comment_ids: set[int] = field(default_factory=set)
    previous_post: Post | None = None
    next_post: Post | None = None


def _neighbours(post: Post) -> tuple[Post | None, Post | None]:
    if not post.is_public:
        return None, None
    public = Post.objects.public().only("title", "slug", "publish_at")
    older = (
        public.filter(
            Q(publish_at__lt=post.publish_at) | Q(publish_at=post.publish_at, pk__lt=post.pk)
        )
        .order_by("-publish_at", "-pk")
        .first()
    )
    newer = (
        public.filter(
            Q(publish_at__gt=post.publish_at) | Q(publish_at=post.publish_at, pk__gt=post.pk)
        )
        .order_by("publish_at", "pk")
        .first()
    )
    return older, newer


def post_page(*, post: Post, user: User) -> PostPage:
    """Everything the post page shows: the comment threads, the viewer's likes, neighbours."""
    all_comments = list(
        Comment.objects.filter(post=post).select_related("author").order_by("created_at", "pk")
    )
    by_id = {c.pk: c for c in all_comments}
    top_level: list[Comment] = []
    for comment in all_comments:
        comment.thread_replies = []
    for comment in all_comments:
        if comment.parent_id is None:
            top_level.append(comment)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].thread_replies.append(comment)
    liked_post = False
    liked_comment_ids: set[int] = set()
    if user.is_authenticated:
        liked_post = PostLike.objects.filter(user=user, post=post).exists()
        liked_comment_ids = set(
            CommentLike.objects.filter(user=user, comment__post=post).values_list(
                "comment_id", flat=True
            )
        )
    for comment in all_comments:
        comment.liked_by_viewer = comment.pk in liked_comment_ids
    previous_post, next_post = _neighbours(post)
    return PostPage(
        post=post,
        body_html=rendered_body(post),
        comments=top_level,
        comment_count=sum(1 for c in all_comments if not c.is_removed),
        liked_post=liked_post,
        liked_comment_ids=liked_comment_ids,
        previous_post=previous_post,
        next_post=next_post,
    )
