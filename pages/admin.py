"""Admin actions that span apps go through the same cross-app services as the site: deleting a
user (the account page's service) and revoking an enrolment (the support command's)."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.admin import UserAdmin
from accounts.models import User
from learning.admin import EnrollmentAdmin
from learning.models import Enrollment
from pages.services import delete_account, withdraw_access


class ComposedUserAdmin(UserAdmin):
    def delete_model(self, request, obj: User) -> None:
        delete_account(user=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for user in queryset.order_by("pk"):
            delete_account(user=user)


class ComposedEnrollmentAdmin(EnrollmentAdmin):
    """Revoking here does what revoke_enrollment (the command) does: the learner's rating
    leaves the course's average with their access."""

    actions = ["revoke"]

    @admin.action(description="Revoke access for selected enrolments")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        count = 0
        for enrollment in queryset.select_related("user", "course"):
            if enrollment.revoked_at is None:
                withdraw_access(
                    user=enrollment.user,
                    course=enrollment.course,
                    reason=f"Revoked in admin by {request.user.email}",
                )
                count += 1
        self.message_user(request, f"{count} enrolment(s) revoked.", messages.SUCCESS)


admin.site.unregister(User)
admin.site.register(User, ComposedUserAdmin)
admin.site.unregister(Enrollment)
admin.site.register(Enrollment, ComposedEnrollmentAdmin)
