"""Notes (add under a lesson, My notes per course, edit, delete, Markdown export) and the
bookmark toggle. Every lookup is by the owner: another learner's note is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from courses.models import Lesson
from learning.notes import selectors, services
from learning.notes.forms import NoteForm


def _study_lesson(request: HttpRequest, slug: str, lesson_slug: str) -> Lesson:
    lesson = get_object_or_404(
        Lesson.objects.select_related("course"), course__slug=slug, slug=lesson_slug
    )
    if not selectors.may_study(user=request.user, course=lesson.course):
        raise Http404("No such lesson.")
    return lesson


def _lesson_url(lesson: Lesson, anchor: str = "notes") -> str:
    return reverse("learning:lesson", args=[lesson.course.slug, lesson.slug]) + f"#{anchor}"


@login_required
@require_POST
def add_note(request: HttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    lesson = _study_lesson(request, slug, lesson_slug)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(
            user=request.user,
            lesson=lesson,
            body=form.cleaned_data["body"],
            video_seconds=form.cleaned_data["time"],
        )
        messages.success(request, "Note saved.")
        return redirect(_lesson_url(lesson))
    context = {"course": lesson.course, "lesson": lesson, "form": form, "note": None}
    return render(request, "learning/notes_edit.html", context, status=400)


@login_required
@require_safe
def my_notes(request: HttpRequest, slug: str) -> HttpResponse:
    course = selectors.notes_course(slug=slug, user=request.user)
    notes = selectors.course_notes(user=request.user, course=course)
    return render(request, "learning/notes_list.html", {"course": course, "notes": notes})


@login_required
@require_safe
def export_notes(request: HttpRequest, slug: str) -> HttpResponse:
    course = selectors.notes_course(slug=slug, user=request.user)
    export = selectors.notes_markdown(user=request.user, course=course)
    response = HttpResponse(export.text, content_type="text/markdown; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition_header(True, export.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _own_note(request: HttpRequest, slug: str, pk: int):
    return get_object_or_404(
        selectors.own_notes(user=request.user).select_related("lesson__course"),
        course__slug=slug,
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    note = _own_note(request, slug, pk)
    form = NoteForm(request.POST or None, note=note)
    if request.method == "POST" and form.is_valid():
        services.edit_note(
            note=note,
            user=request.user,
            body=form.cleaned_data["body"],
            video_seconds=form.cleaned_data["time"],
        )
        messages.success(request, "Note updated.")
        return redirect("learning:my_notes", slug)
    context = {"course": note.lesson.course, "lesson": note.lesson, "form": form, "note": note}
    return render(
        request, "learning/notes_edit.html", context, status=400 if form.is_bound else 200
    )


@login_required
@require_POST
def delete_note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    note = _own_note(request, slug, pk)
    services.delete_note(note=note, user=request.user)
    messages.success(request, "Note deleted.")
    return redirect("learning:my_notes", slug)


@require_POST
def toggle_bookmark(request: HttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    """htmx swaps in the new button; without JavaScript the lesson page reloads."""
    htmx = request.headers.get("HX-Request") == "true"
    if not request.user.is_authenticated:
        login_url = redirect_to_login(reverse("learning:lesson", args=[slug, lesson_slug])).url
        if htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": login_url})
        return redirect(login_url)
    lesson = _study_lesson(request, slug, lesson_slug)
    try:
        bookmarked = services.toggle_bookmark(user=request.user, lesson=lesson)
    except (PermissionDenied, ValidationError):
        raise Http404("No such lesson.") from None
    if htmx:
        context = {"lesson": lesson, "course": lesson.course, "bookmarked": bookmarked}
        return render(request, "learning/notes_bookmark_button.html", context)
    messages.success(request, "Lesson bookmarked." if bookmarked else "Bookmark removed.")
    return redirect(_lesson_url(lesson, "lesson-title"))
