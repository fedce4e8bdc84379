"""The exercise lesson page and the run that grades a learner's query."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from courses.models import Lesson
from learning import selectors
from learning.exercises import selectors as exercise_selectors
from learning.exercises.forms import RunForm
from learning.exercises.services import RateLimited, RunOutcome, run_exercise
from learning.selectors import Access, StudyPage


def render_exercise(
    request: HttpRequest,
    study: StudyPage,
    *,
    form: RunForm | None = None,
    outcome: RunOutcome | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    """The lesson page with the task, the editor and, after a run, its result."""
    panel = exercise_selectors.exercise_panel(lesson=study.lesson, user=request.user)
    if form is None:
        form = RunForm(initial={"sql": panel.last_sql if panel else ""})
    context = {
        "study": study,
        "page": study.page,
        "exercise": panel,
        "form": form,
        "outcome": outcome,
        "refusal": refusal,
    }
    return render(request, "learning/lesson.html", context, status=status)


@require_POST
def run(request: HttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    lesson_url = reverse("learning:lesson", args=[slug, lesson_slug])
    if not request.user.is_authenticated:
        return redirect_to_login(lesson_url)
    study = selectors.lesson_page(slug=slug, lesson_slug=lesson_slug, user=request.user)
    # The same rule as the lesson page: enrolled, staff, or a free preview.
    if study.access != Access.OPEN:
        messages.warning(request, "Enrol in this course to run queries in its exercises.")
        return redirect(study.page.course)
    exercise = exercise_selectors.exercise_to_grade(lesson=study.lesson)
    if study.lesson.kind != Lesson.Kind.EXERCISE or exercise is None:
        raise Http404("This lesson has no exercise.")
    form = RunForm(request.POST)
    if not form.is_valid():
        return render_exercise(request, study, form=form, status=400)
    try:
        outcome = run_exercise(
            user=request.user,
            exercise=exercise,
            enrollment=study.page.enrollment,
            sql=form.cleaned_data["sql"],
        )
    except RateLimited as error:
        return render_exercise(request, study, form=form, refusal=str(error), status=429)
    if outcome.completed:
        # Reload so the outline and the progress bar show the lesson as done.
        study = selectors.lesson_page(slug=slug, lesson_slug=lesson_slug, user=request.user)
    return render_exercise(request, study, form=form, outcome=outcome)
