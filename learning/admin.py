"""Enrolments and progress (read only) in the Django admin; pages adds the revoke action."""

from django.contrib import admin

from core.admin import RobustAdminMixin
from learning.models import Enrollment, LessonProgress


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
    """Read only here; access is granted by purchases, free enrolment or grant_enrollment.

    Revoking also changes the course's rating average, which learning cannot reach:
    pages/admin.py re-registers this admin with the "revoke" action."""

    list_display = ["user", "course", "source", "created_at", "revoked_at", "last_activity_at"]
    list_filter = ["source", RevokedFilter]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "course__title", "course__slug"]
    date_hierarchy = "created_at"
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
