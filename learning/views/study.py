"""Enrolment, lessons, progress and My learning (the course page is pages.views.course_detail)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.page_cache import cached_page
from courses.caching import CATALOG_GENERATION
from courses.models import Course, Lesson
from learning import selectors, services, video
from learning.announcements.selectors import recent_announcements
from learning.exercises.views import render_exercise
from learning.models import Enrollment
from learning.notes.selectors import my_bookmarks
from learning.questions.selectors import lesson_sections
from learning.quizzes.selectors import quiz_panel
from learning.selectors import Access

NO_ACCESS = {
    Access.ENROL: "Enrol in this course to open this lesson.",
    Access.REVOKED: "Your access to this course has ended.",
}


@require_POST
def enroll(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug, status=Course.Status.PUBLISHED)
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_absolute_url())
    if selectors.has_access(user=request.user, course=course):
        messages.info(request, "You are already enrolled.")
        return redirect("learning:resume", course.slug)
    try:
        services.enroll(user=request.user, course=course, source=Enrollment.Source.FREE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(course)
    messages.success(request, f"You are enrolled in {course.title}. Enjoy the course!")
    return redirect("learning:resume", course.slug)


@login_required
def resume(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.course_page(slug=slug, user=request.user)
    if not page.can_study:
        messages.info(request, "Enrol in this course to start learning.")
        return redirect(page.course)
    lesson = page.resume_lesson
    if lesson is None:
        messages.info(request, "This course has no lessons yet.")
        return redirect(page.course)
    return redirect("learning:lesson", page.course.slug, lesson.slug)


def lesson(request: HttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    def render_page(extra: dict) -> HttpResponse:
        study = selectors.lesson_page(slug=slug, lesson_slug=lesson_slug, user=request.user)
        if study.access == Access.LOGIN:
            return redirect_to_login(request.get_full_path())
        if study.access == Access.LOCKED:
            # Drip: the outline and the day it opens, without the lesson's content.
            context = {"study": study, "page": study.page, **extra}
            return render(request, "learning/lesson_locked.html", context, status=403)
        if study.access != Access.OPEN:
            messages.warning(request, NO_ACCESS[study.access])
            return redirect(study.page.course)
        if study.page.enrollment is not None:
            services.record_lesson_visit(enrollment=study.page.enrollment, lesson=study.lesson)
        if study.lesson.kind == Lesson.Kind.EXERCISE:
            return render_exercise(request, study)
        player = video.player_for(study=study, origin=f"{request.scheme}://{request.get_host()}")
        context = {"study": study, "page": study.page, "player": player, **extra}
        if study.lesson.kind == Lesson.Kind.QUIZ:
            context["quiz"] = quiz_panel(study=study, user=request.user)
        # Q&A, notes and bookmark (learning.questions / learning.notes), for those who may study.
        context |= lesson_sections(
            lesson=study.lesson, user=request.user, can_study=study.page.can_study
        )
        context["announcements"] = recent_announcements(enrollment=study.page.enrollment)
        return render(request, "learning/lesson.html", context)

    # Free preview lessons are the same for every anonymous visitor.
    return cached_page(request, render_page, generations=(CATALOG_GENERATION,))


def _leave(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; an htmx request is told to load the page itself rather than swap it in."""
    if request.htmx:
        return HttpResponseClientRedirect(url, status=204)
    return redirect(url)


@require_POST
def complete_lesson(request: HttpRequest, slug: str, lesson_slug: str) -> HttpResponse:
    """Mark a lesson done (or not done, with undo=1); htmx gets the button and sidebar back."""
    lesson_url = reverse("learning:lesson", args=[slug, lesson_slug])
    if not request.user.is_authenticated:
        return _leave(request, redirect_to_login(lesson_url).url)
    study = selectors.lesson_page(slug=slug, lesson_slug=lesson_slug, user=request.user)
    enrollment = study.page.enrollment
    if enrollment is None:
        messages.warning(request, NO_ACCESS[Access.REVOKED if study.page.revoked else Access.ENROL])
        return _leave(request, study.page.course.get_absolute_url())
    if study.access == Access.LOCKED:
        messages.warning(request, f"This lesson opens on {study.opens_on:%-d %B %Y}.")
        return _leave(request, lesson_url)
    undo = request.POST.get("undo") == "1"
    try:
        if undo:
            services.uncomplete_lesson(enrollment=enrollment, lesson=study.lesson)
        else:
            services.mark_lesson_done(enrollment=enrollment, lesson=study.lesson)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _leave(request, study.page.course.get_absolute_url())
    if request.htmx:
        study = selectors.lesson_page(slug=slug, lesson_slug=lesson_slug, user=request.user)
        return render(
            request, "learning/_complete_response.html", {"study": study, "page": study.page}
        )
    if not undo and study.next is not None:
        return redirect("learning:lesson", slug, study.next.slug)
    return redirect(lesson_url)


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_learning(user=request.user)
    bookmarks = my_bookmarks(user=request.user)
    return render(request, "learning/my_learning.html", {"rows": rows, "bookmarks": bookmarks})
