"""Moderation of ratings: find, read, hide (with a reason) and unhide reviews.

Stars and text belong to their authors, so the admin shows them read-only; hiding and
unhiding go through ratings.services so that the course's average follows.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from core.admin import RobustAdminMixin
from ratings import services
from ratings.forms import HideReviewsForm
from ratings.models import Rating


@admin.action(description="Hide selected reviews")
def hide_reviews(modeladmin, request, queryset):
    """Ask for a reason on an intermediate page, then hide each review with it."""
    form = HideReviewsForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        hidden = 0
        for rating in queryset.filter(is_hidden=False):
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
        "ratings": queryset.select_related("user", "course"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "hide_reviews",
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "ratings/admin/hide_reviews.html", context)


@admin.action(description="Unhide selected reviews")
def unhide_reviews(modeladmin, request, queryset):
    shown = 0
    for rating in queryset.filter(is_hidden=True):
        services.unhide_review(rating=rating)
        shown += 1
    modeladmin.message_user(
        request, f"Showed {shown} review{'s' if shown != 1 else ''} again.", messages.SUCCESS
    )


@admin.register(Rating)
class RatingAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["course", "user", "stars", "title", "helpful_count", "is_hidden", "created_at"]
    list_filter = ["is_hidden", "stars"]
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
        "is_hidden",
        "hidden_reason",
        "hidden_by",
        "hidden_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting here would skip the course's average; moderators hide instead.
        return False
