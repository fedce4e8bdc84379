"""Reads the blog pages need, each with a fixed number of queries whatever the data size."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from blog.models import Comment, CommentLike, Post, PostLike, Tag
from core import cache_generations
from core.markdown import render_markdown

BODY_CACHE_SECONDS = 7 * 24 * 3600

# --- Cache generation ---------------------------------------------------------------------
# Anonymous blog pages are cached whole (blog.views) under the "blog" generation
# (core.cache_generations). Any saved or deleted post, tag, comment or like replaces it (the
# receivers below: cache invalidation only). A scheduled post needs no write to appear, so
# saving one also schedules the generation to turn over at its publish time. (Should Redis
# lose that note, the page timeout bounds the delay.)
BLOG_GENERATION = "blog"


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
    # Like counters are bulk updates next to a like row's save or delete: covered.
    cache_generations.bump_on_change(BLOG_GENERATION)
    if isinstance(instance, Post) and instance.publish_at and instance.publish_at > timezone.now():
        cache_generations.turn_over_at(BLOG_GENERATION, instance.publish_at)


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


def post_for(*, slug: str, user: User) -> Post:
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


def rendered_body(*, post: Post) -> SafeString:
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
        body_html=rendered_body(post=post),
        comments=top_level,
        comment_count=sum(1 for c in all_comments if not c.is_removed),
        liked_post=liked_post,
        liked_comment_ids=liked_comment_ids,
        previous_post=previous_post,
        next_post=next_post,
    )
