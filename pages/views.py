"""Pages made of several apps' parts, composed from their selectors (docs/architecture.md)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm
from core.page_cache import cached_page
from courses.caching import CATALOG_GENERATION
from learning.selectors import course_page
from pages import services
from ratings.forms import RatingForm
from ratings.selectors import reviews_block


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The course page (courses:detail): the catalog's outline with the viewer's enrolment
    state (learning) and the reviews (ratings)."""

    def render_page(extra: dict) -> HttpResponse:
        page = course_page(slug=slug, user=request.user)
        context = {
            "page": page,
            "course": page.course,
            "reviews": reviews_block(course=page.course, user=request.user),
            "rating_form": RatingForm(auto_id="review_%s"),
            **extra,
        }
        return render(request, "pages/course_detail.html", context)

    # One whole-page cache for anonymous visitors; ratings bump the catalog generation too.
    return cached_page(request, render_page, generations=(CATALOG_GENERATION,))


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """accounts:delete: the form is accounts', the deletion spans every app (pages.services)."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user)
        logout(request)
        messages.success(request, "Your account and personal data have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
