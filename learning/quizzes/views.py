"""Quiz pages: start an attempt, answer it (GET shows the form, POST submits it), and see the
result on the same address. Access is the lesson page's rule (learning.selectors.lesson_page),
and only an enrolled learner with active access has attempts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from courses.models import Lesson
from learning.models import Quiz
from learning.quizzes import selectors, services
from learning.quizzes.forms import QuizForm
from learning.selectors import Access, StudyPage, lesson_page


def _study(request: HttpRequest, slug: str, lesson_slug: str) -> StudyPage:
    """The quiz lesson if the user may take it (404 otherwise; the caller handles anonymous)."""
    study = lesson_page(slug=slug, lesson_slug=lesson_slug, user=request.user)
    if study.lesson.kind != Lesson.Kind.QUIZ or study.access != Access.OPEN:
        raise Http404("No such quiz.")
    if study.page.enrollment is None:  # staff browsing, preview visitors: no attempts
        raise Http404("No such quiz.")
    return study


@require_POST
def start_quiz(request: HttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    lesson_url = reverse("learning:lesson", args=[slug, lesson_slug])
    if not request.user.is_authenticated:
        return redirect_to_login(lesson_url)
    study = _study(request, slug, lesson_slug)
    quiz = Quiz.objects.select_related("lesson").filter(lesson=study.lesson).first()
    if quiz is None:
        raise Http404("No such quiz.")
    try:
        attempt = services.start_attempt(quiz=quiz, enrollment=study.page.enrollment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(lesson_url)
    return redirect("learning:quiz_attempt", slug, lesson_slug, attempt.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def quiz_attempt(request: HttpRequest, slug: str, lesson_slug: str, attempt_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("learning:lesson", args=[slug, lesson_slug]))
    study = _study(request, slug, lesson_slug)
    attempt = selectors.own_attempt(study=study, user=request.user, attempt_id=attempt_id)
    context = {"study": study, "page": study.page, "attempt": attempt}
    if attempt.is_submitted:
        if request.method == "POST":
            messages.warning(request, "This attempt was already submitted.")
        review = selectors.attempt_review(attempt=attempt)
        return render(request, "learning/quiz_result.html", {**context, "review": review})
    questions = selectors.question_views(attempt=attempt)
    data = request.POST if request.method == "POST" else None  # an empty POST is all blanks
    form = QuizForm(data, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_attempt(attempt=attempt, answers=form.answers())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("learning:quiz_attempt", slug, lesson_slug, attempt.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/quiz_attempt.html", {**context, "form": form}, status=status)
