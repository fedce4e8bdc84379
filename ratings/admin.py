"""Moderation of ratings: find, read, hide (with a reason) and unhide reviews, and work
through the queue of reviews that learners reported.

Stars and text belong to their authors, so the admin shows them read-only; hiding and
unhiding go through ratings.services so that the course's average follows.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.template.response import TemplateResponse

from core.admin import RobustAdminMixin
from learning.models import Enrollment
from ratings import services
from ratings.forms import HideReviewsForm
from ratings.models import Rating, ReviewReport


def _hide_with_reason(modeladmin, request, queryset, ratings, action_name: str):
    """Ask for a reason on an intermediate page, then hide each of `ratings` with it."""
    form = HideReviewsForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        hidden = 0
        for rating in ratings.filter(is_hidden=False):
            try:
                services.hide_review(
                    rating=rating, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                modeladmin.message_user(request, "; ".join(error.messages), messages.ERROR)
                return None
            hidden += 1
        modeladmin.message_user(
            request, f"Hid {hidden} review{'s' if hidden != 1 else ''}.", messages.SUCCESS
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Hide reviews",
        "opts": modeladmin.model._meta,
        "form": form,
        "ratings": ratings.select_related("user", "course"),
        "selected": queryset.values_list("pk", flat=True),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": action_name,
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "ratings/admin/hide_reviews.html", context)


@admin.action(description="Hide selected reviews")
def hide_reviews(modeladmin, request, queryset):
    return _hide_with_reason(modeladmin, request, queryset, queryset, "hide_reviews")


@admin.action(description="Unhide selected reviews")
def unhide_reviews(modeladmin, request, queryset):
    shown = 0
    for rating in queryset.filter(is_hidden=True):
        services.unhide_review(rating=rating)
        shown += 1
    modeladmin.message_user(
        request, f"Showed {shown} review{'s' if shown != 1 else ''} again.", messages.SUCCESS
    )


class AccessFilter(admin.SimpleListFilter):
    title = "shown publicly"
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Shown"),
            ("moderator", "Hidden by a moderator"),
            ("access", "Not shown: learner's access ended"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_hidden=False, learner_has_access=True)
        if self.value() == "moderator":
            return queryset.filter(is_hidden=True)
        if self.value() == "access":
            return queryset.filter(learner_has_access=False)
        return queryset


class ReviewReportInline(admin.TabularInline):
    model = ReviewReport
    fields = ["created_at", "reporter", "reason", "details", "status", "resolved_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = [
        "course",
        "user",
        "stars",
        "title",
        "helpful_count",
        "visibility",
        "open_reports",
        "created_at",
    ]
    list_filter = [AccessFilter, "is_hidden", "stars"]
    search_fields = ["course__title", "course__slug", "user__email", "title"]
    list_select_related = ["course", "user"]
    date_hierarchy = "created_at"
    actions = [hide_reviews, unhide_reviews]
    fields = [
        "course",
        "user",
        "stars",
        "title",
        "body",
        "helpful_count",
        "created_at",
        "updated_at",
        "visibility",
        "is_hidden",
        "hidden_reason",
        "hidden_by",
        "hidden_at",
    ]
    readonly_fields = fields
    inlines = [ReviewReportInline]

    def get_queryset(self, request):
        ended = Enrollment.objects.filter(
            user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), revoked_at__isnull=False
        )
        return (
            super()
            .get_queryset(request)
            .with_access()
            .annotate(
                access_ended_reason=Subquery(ended.values("revoked_reason")[:1]),
                open_report_count=Count(
                    "reports", filter=Q(reports__status=ReviewReport.Status.OPEN)
                ),
            )
        )

    @admin.display(description="Shown publicly")
    def visibility(self, obj: Rating) -> str:
        if obj.is_hidden:
            return f"No: hidden by a moderator ({obj.hidden_reason})"
        if not obj.learner_has_access:
            why = obj.access_ended_reason or "no enrollment"
            return f"No: the learner's access ended ({why})"
        return "Yes"

    @admin.display(description="Open reports", ordering="open_report_count")
    def open_reports(self, obj: Rating) -> int:
        return obj.open_report_count

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting here would skip the course's average; moderators hide instead.
        return False


# Reports are answered only by these actions, which record who resolved them and when.
@admin.action(description="Dismiss selected reports (the review stays)", permissions=["change"])
def dismiss_reports(modeladmin, request, queryset):
    closed = services.dismiss_reports(reports=queryset, by=request.user)
    modeladmin.message_user(
        request, f"Dismissed {closed} report{'s' if closed != 1 else ''}.", messages.SUCCESS
    )


@admin.action(description="Hide the reported reviews (asks for a reason)", permissions=["change"])
def hide_reported_reviews(modeladmin, request, queryset):
    ratings = Rating.objects.filter(pk__in=queryset.values("rating_id"))
    return _hide_with_reason(modeladmin, request, queryset, ratings, "hide_reported_reviews")


@admin.register(ReviewReport)
class ReviewReportAdmin(RobustAdminMixin, admin.ModelAdmin):
    """The moderation queue, newest first; filter by status "Open" for what needs a look."""

    list_display = ["created_at", "review", "course", "reporter", "reason", "status"]
    list_display_links = ["created_at", "review"]
    list_filter = ["status", "reason", "created_at"]
    search_fields = ["rating__course__title", "rating__user__email", "reporter__email", "details"]
    list_select_related = ["rating__course", "rating__user", "reporter"]
    actions = [dismiss_reports, hide_reported_reviews]
    fields = [
        "rating",
        "review_text",
        "reporter",
        "reason",
        "details",
        "created_at",
        "status",
        "resolved_by",
        "resolved_at",
    ]
    readonly_fields = fields

    @admin.display(description="Review")
    def review(self, obj: ReviewReport) -> str:
        rating = obj.rating
        return f"{rating.stars}★ by {rating.user.email}" + (
            f": “{rating.title}”" if rating.title else ""
        )

    @admin.display(description="Course", ordering="rating__course__title")
    def course(self, obj: ReviewReport):
        return obj.rating.course

    @admin.display(description="Review text")
    def review_text(self, obj: ReviewReport) -> str:
        return obj.rating.body or "(no text)"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
