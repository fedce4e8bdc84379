"""Rating pages: rate or edit your rating, delete it, list a course's reviews, mark helpful,
report a review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from courses.models import Course
from ratings import selectors, services
from ratings.forms import RatingForm, ReportReviewForm
from ratings.models import Rating


def _public_review(pk: int) -> Rating:
    return get_object_or_404(
        Rating.objects.public()
        .select_related("course", "user")
        .filter(course__status=Course.Status.PUBLISHED),
        pk=pk,
    )


def _published_course(slug: str):
    return get_object_or_404(selectors.reviewable_courses(), slug=slug)


def _own_rating(request, pk: int) -> Rating:
    # Someone else's rating is a 404, not a 403: it does not reveal which ratings exist.
    return get_object_or_404(
        Rating.objects.select_related("course").filter(course__status=Course.Status.PUBLISHED),
        pk=pk,
        user=request.user,
    )


@login_required
def rate(request, slug):
    """Rate the course, or change the rating you gave it (one rating per learner)."""
    course = _published_course(slug)
    if not selectors.can_rate(user=request.user, course=course):
        messages.error(request, f"{services.NOT_ENROLLED_MESSAGE} Enrol to leave a review.")
        return redirect(course.get_absolute_url())
    existing = selectors.own_rating(user=request.user, course=course)
    return _rating_form(request, course, existing)


@login_required
def edit(request, pk):
    rating = _own_rating(request, pk)
    return _rating_form(request, rating.course, rating)


def _rating_form(request, course, existing: Rating | None):
    form = RatingForm.for_rating(existing, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_course(user=request.user, course=course, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "Your rating was updated." if existing else "Thank you for rating this course."
            messages.success(request, done)
            return redirect("ratings:list", slug=course.slug)
    return render(
        request, "ratings/rate.html", {"course": course, "form": form, "rating": existing}
    )


@login_required
def delete(request, pk):
    rating = _own_rating(request, pk)
    if request.method == "POST":
        services.delete_rating(user=request.user, rating=rating)
        messages.success(request, "Your rating was deleted.")
        return redirect("ratings:list", slug=rating.course.slug)
    return render(request, "ratings/delete.html", {"rating": rating, "course": rating.course})


def review_list(request, slug):
    """All visible reviews of a course, 10 a page, newest or most helpful first."""
    course = _published_course(slug)
    block = selectors.reviews_block(
        course=course,
        user=request.user,
        sort=request.GET.get("sort"),
        page_number=request.GET.get("page") or 1,
    )
    context = {"course": course, "reviews": block, "rating_form": RatingForm(auto_id="review_%s")}
    return render(request, "ratings/list.html", context)


@login_required
@require_POST
def helpful(request, pk):
    """Mark a review helpful; htmx gets the updated button, others a redirect back."""
    rating = _public_review(pk)
    error = None
    try:
        rating = services.mark_helpful(user=request.user, rating=rating)
    except ValidationError as exc:
        error = exc.messages[0]
    if request.htmx:
        return render(
            request,
            "ratings/_helpful.html",
            # 200 even for a refusal: htmx swaps only successful responses into the page.
            {"review": rating, "marked": error is None, "error": error, "user": request.user},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Thank you: your vote was counted.")
    return redirect(_safe_next(request, rating))


def _safe_next(request, rating: Rating) -> str:
    next_url = request.POST.get("next", "")
    # Only a path on this site: redirect() would try anything else as a URL name (a 500).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("ratings:list", args=[rating.course.slug])
    return next_url


@login_required
def report(request, pk):
    """Report a review to the moderators: a page of its own, or (htmx) a form in place."""
    rating = _public_review(pk)
    is_htmx = bool(request.htmx)
    data = request.POST if request.method == "POST" else None
    form = ReportReviewForm(data, auto_id=f"report-{rating.pk}-%s")
    if data is not None and form.is_valid():
        try:
            services.report_review(user=request.user, rating=rating, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "Thank you: the moderators will look at this review."
            if is_htmx:
                return render(request, "ratings/_report_done.html", {"message": done})
            messages.success(request, done)
            return redirect(_safe_next(request, rating))
    context = {
        "review": rating,
        "course": rating.course,
        "form": form,
        "already_reported": selectors.has_reported(user=request.user, rating=rating),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "is_htmx": is_htmx,
    }
    template = "ratings/_report_form.html" if is_htmx else "ratings/report.html"
    return render(request, template, context)
