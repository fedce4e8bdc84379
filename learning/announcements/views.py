"""A course's announcements page, for its enrolled learners (and staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from learning import selectors
from learning.announcements.selectors import published_announcements


@login_required
def course_announcements(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.course_page(slug=slug, user=request.user)
    if not page.can_study:
        messages.info(request, "Enrol in this course to read its announcements.")
        return redirect(page.course)
    announcements = published_announcements(course=page.course)
    return render(
        request,
        "learning/announcements.html",
        {"page": page, "announcements": announcements},
    )
