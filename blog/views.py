"""Blog pages: index, tag pages, the post page with its comments, likes and unsubscribe."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import User
from blog import selectors, services
from blog.forms import CommentForm, ReplyForm
from blog.models import Comment, Post, Tag
from core.page_cache import cached_page

POSTS_PER_PAGE = 10
DRAFT_SESSION_KEY = "blog_comment_draft"


def _message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _cached_for_anonymous(
    request: HttpRequest, render_page: Callable[[dict], HttpResponse]
) -> HttpResponse:
    """Reading pages shared between anonymous visitors (core.page_cache), keyed by the blog
    generation: replaced on every change, and when a scheduled post goes public."""
    return cached_page(
        request, render_page, generations=(selectors.BLOG_GENERATION,), page_params=["page"]
    )


# --- Reading ------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    def render_page(extra: dict) -> HttpResponse:
        posts = selectors.public_posts()
        page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "blog/index.html", {"page_obj": page, "tag": None, **extra})

    return _cached_for_anonymous(request, render_page)


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    def render_page(extra: dict) -> HttpResponse:
        tag = get_object_or_404(Tag, slug=slug)
        posts = selectors.public_posts(tag=tag)
        page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "blog/index.html", {"page_obj": page, "tag": tag, **extra})

    return _cached_for_anonymous(request, render_page)


def _render_post(
    request: HttpRequest,
    post: Post,
    *,
    form: CommentForm | None = None,
    reply_form: ReplyForm | None = None,
    status: int = 200,
    extra: dict | None = None,
) -> HttpResponse:
    page = selectors.post_page(post=post, user=request.user)
    if form is None:
        drafts = request.session.get(DRAFT_SESSION_KEY, {}) if request.user.is_authenticated else {}
        draft = drafts.pop(str(post.pk), "")
        if draft:
            request.session[DRAFT_SESSION_KEY] = drafts
        form = CommentForm(initial={"body": draft})
    for comment in page.comments:
        if reply_form is not None and reply_form.initial.get("parent") == comment.pk:
            comment.reply_form = reply_form
        else:
            comment.reply_form = ReplyForm(parent_id=comment.pk)
    context = {"page": page, "post": post, "form": form, "reply_error": reply_form is not None}
    return render(request, "blog/post_detail.html", {**context, **(extra or {})}, status=status)


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def render_page(extra: dict) -> HttpResponse:
        post = selectors.post_for(slug=slug, user=request.user)
        return _render_post(request, post, extra=extra)

    return _cached_for_anonymous(request, render_page)


# --- Comments -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    post = selectors.post_for(slug=slug, user=request.user)
    if request.method == "GET":
        return redirect(post.get_absolute_url() + "#comment-form")
    if not request.user.is_authenticated:
        # Keep the text for after login, so nothing typed is lost.
        body = request.POST.get("body", "")[:5000]
        if body.strip() and not request.POST.get("parent"):
            drafts = request.session.get(DRAFT_SESSION_KEY, {})
            drafts[str(post.pk)] = body
            request.session[DRAFT_SESSION_KEY] = drafts
        return redirect_to_login(post.get_absolute_url() + "#comment-form")
    parent_id = request.POST.get("parent", "")
    if parent_id.isascii() and parent_id.isdigit():  # "²".isdigit() too, but int() refuses it
        form = ReplyForm(request.POST, parent_id=int(parent_id))
    else:
        form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(post=post, pk=form.cleaned_data["parent"]).first()
            if parent is None:
                messages.error(request, "The comment you replied to no longer exists.")
                return redirect(post.get_absolute_url() + "#comments")
        try:
            comment = services.add_comment(
                author=request.user, post=post, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as error:
            form.add_error(None, _message_of(error))
        else:
            messages.success(request, "Reply posted." if parent else "Comment posted.")
            return redirect(comment.get_absolute_url())
    if "parent" in form.errors:
        messages.error(request, "The comment you replied to no longer exists.")
        return redirect(post.get_absolute_url() + "#comments")
    if isinstance(form, ReplyForm):
        return _render_post(request, post, reply_form=form, status=400)
    return _render_post(request, post, form=form, status=400)


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    """The viewer's own, still visible comment; anyone else's is 404."""
    return get_object_or_404(
        Comment.objects.select_related("post"), pk=pk, author=request.user, is_removed=False
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    form.fields["body"].label = "Edit your comment"
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, _message_of(error))
        else:
            messages.success(request, "Your comment was updated.")
            return redirect(comment.get_absolute_url())
    status = 400 if form.is_bound else 200
    context = {"form": form, "comment": comment, "post": comment.post}
    return render(request, "blog/comment_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if request.method == "POST":
        post = comment.post
        kept = services.delete_comment(comment=comment, user=request.user)
        messages.success(request, "Your comment was deleted.")
        anchor = f"#{kept.anchor}" if kept else "#comments"
        return redirect(post.get_absolute_url() + anchor)
    return render(request, "blog/comment_delete.html", {"comment": comment, "post": comment.post})


@login_required
@require_POST
def comment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    services.remove_comment(comment=comment, by=request.user)
    messages.success(request, "The comment was removed.")
    return redirect(comment.get_absolute_url())


@login_required
@require_POST
def comment_restore(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    try:
        services.restore_comment(comment=comment, by=request.user)
    except ValidationError as error:
        messages.error(request, _message_of(error))
    else:
        messages.success(request, "The comment was restored.")
    return redirect(comment.get_absolute_url())


# --- Likes --------------------------------------------------------------------------------


def _login_first(request: HttpRequest, next_url: str) -> HttpResponse:
    """Send a visitor to log in; for htmx, make the whole page go there, not the button."""
    response = redirect_to_login(next_url)
    if request.htmx:
        return HttpResponseClientRedirect(response.url, status=204)
    return response


@require_POST
def post_like(request: HttpRequest, slug: str) -> HttpResponse:
    post = selectors.post_for(slug=slug, user=request.user)
    if not request.user.is_authenticated:
        return _login_first(request, post.get_absolute_url() + "#post-like")
    try:
        liked, _ = services.toggle_post_like(user=request.user, post=post)
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(_message_of(error), status=400)
        messages.error(request, _message_of(error))
        return redirect(post.get_absolute_url())
    if request.htmx:
        return render(request, "blog/_post_like_button.html", {"post": post, "liked": liked})
    return redirect(post.get_absolute_url() + "#post-like")


@require_POST
def comment_like(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    if not comment.post.is_public:
        raise Http404("No such comment")
    if not request.user.is_authenticated:
        return _login_first(request, comment.get_absolute_url())
    try:
        liked, _ = services.toggle_comment_like(user=request.user, comment=comment)
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(_message_of(error), status=400)
        messages.error(request, _message_of(error))
        return redirect(comment.get_absolute_url())
    if request.htmx:
        context = {"comment": comment, "liked": liked}
        return render(request, "blog/_comment_like_button.html", context)
    return redirect(comment.get_absolute_url())


# --- Email preferences --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From the link in a blog email: no login, the signed token says who."""
    try:
        user: User = services.user_for_unsubscribe_token(token)
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "blog/unsubscribe_invalid.html", status=400)
    done = None
    if request.method == "POST":
        enabled = request.POST.get("action") == "resubscribe"
        services.set_comment_emails(user=user, enabled=enabled)
        done = "resubscribed" if enabled else "unsubscribed"
    enabled = services.wants_comment_emails(user)
    return render(
        request, "blog/unsubscribe.html", {"token": token, "enabled": enabled, "done": done}
    )
