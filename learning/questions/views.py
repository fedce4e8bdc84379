"""Q&A pages: the course's question list, one question with its answers, and the writes on
them. Who may see or do what is decided by the selectors and services; anyone without access
gets a 404 (anonymous visitors: the login page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from courses.models import Lesson
from learning.models import Answer, Question
from learning.questions import selectors, services, tasks
from learning.questions.forms import AnswerForm, HideForm, QuestionForm, QuestionSearchForm

QUESTIONS_PER_PAGE = 20


def _message_of(error: ValidationError | PermissionDenied) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@login_required
def question_list(request: HttpRequest, slug: str) -> HttpResponse:
    course = selectors.qa_course(slug=slug, user=request.user)
    form = QuestionSearchForm(request.GET or None)
    search, show = "", selectors.Filter.ALL
    if form.is_valid():
        search, show = form.cleaned_data["q"], form.cleaned_data["show"]
    questions = selectors.question_list(
        course=course, user=request.user, search=search, filter=show
    )
    page = Paginator(questions, QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"course": course, "form": form, "page_obj": page, "search": search, "show": show}
    return render(request, "learning/questions_list.html", context)


def _render_question(request, course, pk, *, answer_form=None, status=200) -> HttpResponse:
    page = selectors.question_page(course=course, pk=pk, user=request.user)
    context = {
        "course": course,
        "page": page,
        "question": page.question,
        "answer_form": answer_form or AnswerForm(),
        "hide_form": HideForm(),
    }
    return render(request, "learning/questions_detail.html", context, status=status)


@login_required
def question_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    course = selectors.qa_course(slug=slug, user=request.user)
    return _render_question(request, course, pk)


@login_required
@require_http_methods(["GET", "POST"])
def ask_question(request: HttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    course = selectors.qa_course(slug=slug, user=request.user)
    lesson = get_object_or_404(Lesson, course=course, slug=lesson_slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.ask_question(
                author=request.user, lesson=lesson, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, _message_of(error))
        else:
            messages.success(request, "Your question is posted.")
            return redirect(question)
    status = 400 if form.is_bound else 200
    context = {"course": course, "lesson": lesson, "form": form}
    return render(request, "learning/questions_ask.html", context, status=status)


@login_required
@require_POST
def answer_question(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    course = selectors.qa_course(slug=slug, user=request.user)
    question = selectors.question_page(course=course, pk=pk, user=request.user).question
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_question(
                author=request.user, question=question, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, _message_of(error))
        else:
            messages.success(request, "Your answer is posted.")
            return redirect(f"{question.get_absolute_url()}#{answer.anchor}")
    return _render_question(request, course, pk, answer_form=form, status=400)


def _own(request: HttpRequest, slug: str, model, pk: int):
    """The viewer's own visible question or answer in a course they may take part in."""
    course = selectors.qa_course(slug=slug, user=request.user)
    lookup = {"course": course} if model is Question else {"question__course": course}
    posts = model.objects.select_related("course") if model is Question else model.objects
    return get_object_or_404(posts, pk=pk, author=request.user, is_hidden=False, **lookup)


@login_required
@require_http_methods(["GET", "POST"])
def edit_question(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    question = _own(request, slug, Question, pk)
    initial = {"title": question.title, "body": question.body}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.edit_question(question=question, user=request.user, **form.cleaned_data)
        messages.success(request, "Your question was updated.")
        return redirect(question)
    status = 400 if form.is_bound else 200
    context = {"course": question.course, "form": form, "post": question, "kind": "question"}
    return render(request, "learning/questions_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    answer = _own(request, slug, Answer, pk)
    question = answer.question
    form = AnswerForm(request.POST or None, initial={"body": answer.body})
    if request.method == "POST" and form.is_valid():
        services.edit_answer(answer=answer, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Your answer was updated.")
        return redirect(f"{question.get_absolute_url()}#{answer.anchor}")
    status = 400 if form.is_bound else 200
    context = {"course": question.course, "form": form, "post": answer, "kind": "answer"}
    return render(request, "learning/questions_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete_post(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    post = _own(request, slug, Question if kind == "question" else Answer, pk)
    course = selectors.qa_course(slug=slug, user=request.user)
    if request.method == "POST":
        if isinstance(post, Question):
            services.delete_question(question=post, user=request.user)
            messages.success(request, "Your question was deleted.")
            return redirect("learning:questions", course.slug)
        question_url = post.question.get_absolute_url()
        services.delete_answer(answer=post, user=request.user)
        messages.success(request, "Your answer was deleted.")
        return redirect(question_url)
    context = {"course": course, "post": post, "kind": kind}
    return render(request, "learning/questions_delete.html", context)


def _post_in_course(request: HttpRequest, slug: str, kind: str, pk: int) -> Question | Answer:
    course = selectors.qa_course(slug=slug, user=request.user)
    if kind == "question":
        return get_object_or_404(Question.objects.select_related("course"), course=course, pk=pk)
    return get_object_or_404(
        Answer.objects.select_related("question__course"), question__course=course, pk=pk
    )


def _back_to(post: Question | Answer) -> str:
    if isinstance(post, Question):
        return post.get_absolute_url()
    return f"{post.question.get_absolute_url()}#{post.anchor}"


@login_required
@require_POST
def accept_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    answer = _post_in_course(request, slug, "answer", pk)
    if answer.is_hidden and not request.user.is_staff:
        raise Http404("No such answer.")
    try:
        question = services.accept_answer(answer=answer, user=request.user)
    except PermissionDenied:
        raise Http404("No such answer.") from None
    except ValidationError as error:
        messages.error(request, _message_of(error))
    else:
        accepted = question.accepted_answer_id == answer.pk
        messages.success(request, "Answer accepted." if accepted else "Answer no longer accepted.")
    return redirect(_back_to(answer))


@login_required
@require_POST
def upvote(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    post = _post_in_course(request, slug, kind, pk)
    if post.is_hidden and not request.user.is_staff:
        raise Http404("No such post.")
    toggle = (
        services.toggle_question_upvote if kind == "question" else services.toggle_answer_upvote
    )
    try:
        upvoted, _ = toggle(user=request.user, **{kind: post})
    except ValidationError as error:
        messages.error(request, _message_of(error))
    else:
        messages.success(request, "Upvoted." if upvoted else "Upvote taken back.")
    return redirect(_back_to(post))


@login_required
@require_POST
def moderate(request: HttpRequest, slug: str, kind: str, pk: int, action: str) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404("No such page.")
    post = _post_in_course(request, slug, kind, pk)
    if action == "restore":
        services.restore_post(post=post, by=request.user)
        messages.success(request, "The post is visible again.")
        return redirect(_back_to(post))
    form = HideForm(request.POST)
    if form.is_valid():
        services.hide_post(post=post, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "The post is hidden.")
    else:
        messages.error(request, "Give a reason for hiding the post.")
    return redirect(_back_to(post))


# One-click unsubscribe: mail clients POST without a CSRF token (RFC 8058); the signed token
# in the URL is what authorises the change, so CSRF protection adds nothing here.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user: User = tasks.user_for_unsubscribe_token(token)
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "learning/questions_unsubscribe_invalid.html", status=400)
    done = None
    if request.method == "POST":
        enabled = request.POST.get("action") == "resubscribe"
        services.set_qa_emails(user=user, enabled=enabled)
        done = "resubscribed" if enabled else "unsubscribed"
    context = {
        "token": token,
        "enabled": tasks.wants_qa_emails(user),
        "done": done,
        "action_url": reverse("learning:qa_unsubscribe", args=[token]),
    }
    return render(request, "learning/questions_unsubscribe.html", context)
