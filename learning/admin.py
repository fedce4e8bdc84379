"""Enrolments (read and revoke) and progress (read only) in the Django admin."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import RobustAdminMixin
from learning.models import Answer, Enrollment, LessonProgress, Note, Question
from learning.questions.services import restore_post
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


# --- Q&A and notes ------------------------------------------------------------------------
# Moderation goes through learning.questions.services (hide with a reason, restore), so the
# answer counts stay right; notes are private and only listed for support, never edited.


@admin.register(Question)
class QuestionAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "course",
        "lesson",
        "author",
        "answer_count",
        "is_hidden",
        "created_at",
    ]
    list_filter = ["is_hidden"]
    list_select_related = ["course", "lesson", "author"]
    search_fields = ["title", "author__email", "course__title"]
    date_hierarchy = "created_at"
    fields = ["title", "body", "course", "lesson", "author", "is_hidden", "hidden_reason"]
    readonly_fields = fields
    actions = ["restore"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Restore the selected hidden questions")
    def restore(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        for question in queryset.filter(is_hidden=True):
            restore_post(post=question, by=request.user)
        self.message_user(request, "Questions restored.", messages.SUCCESS)


@admin.register(Answer)
class AnswerAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "question", "author", "by_staff", "is_hidden", "created_at"]
    list_filter = ["is_hidden", "by_staff"]
    list_select_related = ["question", "author"]
    search_fields = ["body", "author__email", "question__title"]
    fields = ["question", "body", "author", "by_staff", "is_hidden", "hidden_reason"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Note)
class NoteAdmin(RobustAdminMixin, admin.ModelAdmin):
    """Listed for support questions ("where did my notes go?"); the text stays private."""

    list_display = ["user", "course", "lesson", "video_seconds", "created_at"]
    list_select_related = ["user", "course", "lesson"]
    search_fields = ["user__email"]
    fields = ["user", "course", "lesson", "video_seconds", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# Quiz authoring and the gradebook register themselves (kept in their own module).
import learning.quizzes.admin  # noqa: E402, F401
