"""Enrolments (read and revoke) and progress (read only) in the Django admin."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import RobustAdminMixin

# Announcements and the seller's analytics register their own admins when imported.
from learning.analytics import admin as analytics_admin  # noqa: F401
from learning.announcements import admin as announcements_admin  # noqa: F401
from learning.models import Enrollment, LessonProgress
from learning.services import revoke_enrollment


class RevokedFilter(admin.SimpleListFilter):
    title = "access"
    parameter_name = "access"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Enrollment)
class EnrollmentAdmin(RobustAdminMixin, admin.ModelAdmin):
    """Read and revoke; access is granted by purchases, free enrolment or grant_enrollment."""

    list_display = ["user", "course", "source", "created_at", "revoked_at", "last_activity_at"]
    list_filter = ["source", RevokedFilter]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "course__title", "course__slug"]
    date_hierarchy = "created_at"
    actions = ["revoke"]
    readonly_fields = [
        "user",
        "course",
        "source",
        "created_at",
        "revoked_at",
        "revoked_reason",
        "last_lesson",
        "last_activity_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Revoke access for selected enrolments")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        count = 0
        for enrollment in queryset.select_related("user", "course"):
            if enrollment.revoked_at is None:
                revoke_enrollment(
                    user=enrollment.user,
                    course=enrollment.course,
                    reason=f"Revoked in admin by {request.user.email}",
                )
                count += 1
        self.message_user(request, f"{count} enrolment(s) revoked.", messages.SUCCESS)


@admin.register(LessonProgress)
class LessonProgressAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["learner", "course", "lesson", "completed_at"]
    list_select_related = ["enrollment__user", "enrollment__course", "lesson"]
    search_fields = ["enrollment__user__email", "enrollment__course__title"]
    date_hierarchy = "completed_at"

    @admin.display(description="Learner", ordering="enrollment__user__email")
    def learner(self, obj: LessonProgress) -> str:
        return obj.enrollment.user.email

    @admin.display(description="Course", ordering="enrollment__course__title")
    def course(self, obj: LessonProgress) -> str:
        return obj.enrollment.course.title

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
