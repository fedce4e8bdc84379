"""Deleting users from the admin goes through the same cross-app service as the account page."""

from django.contrib import admin
from django.db import transaction

from accounts.admin import UserAdmin
from accounts.models import User
from pages.services import delete_account


class ComposedUserAdmin(UserAdmin):
    def delete_model(self, request, obj: User) -> None:
        delete_account(user=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for user in queryset.order_by("pk"):
            delete_account(user=user)


admin.site.unregister(User)
admin.site.register(User, ComposedUserAdmin)
