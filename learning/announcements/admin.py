"""Staff write announcements in the admin; the "Publish" action shows and emails them."""

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from core.admin import RobustAdminMixin
from learning.announcements.services import publish_announcement
from learning.models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["title", "course", "published_at", "emailed", "recipients"]
    list_filter = [("published_at", admin.EmptyFieldListFilter)]
    list_select_related = ["course"]
    search_fields = ["title", "course__title", "course__slug"]
    autocomplete_fields = ["course"]
    fields = ["course", "title", "body", "author", "created_at", "published_at"]
    readonly_fields = ["author", "created_at", "published_at"]
    actions = ["publish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Announcement]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                recipient_count=Count("deliveries"),
                emailed_count=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # Once emailed, the announcement belongs to the course it was sent for.
        if obj is not None and obj.is_published:
            return [*self.readonly_fields, "course"]
        return self.readonly_fields

    @admin.display(description="Recipients", ordering="recipient_count")
    def recipients(self, obj: Announcement) -> int:
        return obj.recipient_count

    @admin.display(description="Emailed", ordering="emailed_count")
    def emailed(self, obj: Announcement) -> int:
        return obj.emailed_count

    def save_model(self, request, obj: Announcement, form, change) -> None:
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish and email to the course's learners")
    def publish(self, request: HttpRequest, queryset: QuerySet[Announcement]) -> None:
        published, recipients = 0, 0
        for announcement in queryset.filter(published_at__isnull=True).order_by("pk"):
            recipients += publish_announcement(announcement=announcement)
            published += 1
        if not published:
            self.message_user(request, "Those announcements were already published.")
            return
        self.message_user(
            request,
            f"{published} announcement(s) published; emailing {recipients} learner(s).",
            messages.SUCCESS,
        )
