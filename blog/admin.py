"""Staff write posts here; comment moderation goes through the blog services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from blog import services
from blog.models import Comment, NotificationSettings, Post, Tag
from core.admin import RobustAdminMixin


@admin.register(Tag)
class TagAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Post)
class PostAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["title", "status", "publish_at", "author", "like_count", "updated_at"]
    list_filter = ["status", "publish_at", "tags"]
    search_fields = ["title", "excerpt", "body"]
    date_hierarchy = "publish_at"
    ordering = ["-publish_at", "-id"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags"]
    list_select_related = ["author"]
    autocomplete_fields = ["author"]
    readonly_fields = ["like_count", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "excerpt", "body"]}),
        ("Cover", {"fields": ["cover", "cover_alt"]}),
        ("Publishing", {"fields": ["status", "publish_at", "author", "tags"]}),
        ("Activity", {"fields": ["like_count", "created_at", "updated_at"]}),
    ]
    actions = ["publish_now", "unpublish"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    def save_model(self, request, obj, form, change):
        if obj.author_id is None and not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish the selected posts now")
    def publish_now(self, request, queryset):
        for post in queryset:
            services.publish_post(post=post)
        self.message_user(request, f"{queryset.count()} post(s) published.", messages.SUCCESS)

    @admin.action(description="Turn the selected posts back into drafts")
    def unpublish(self, request, queryset):
        for post in queryset:
            services.unpublish_post(post=post)
        self.message_user(request, f"{queryset.count()} post(s) are drafts now.", messages.SUCCESS)


@admin.register(Comment)
class CommentAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "post", "author", "parent", "created_at", "is_removed"]
    list_filter = ["is_removed", "created_at"]
    search_fields = ["body", "author__email", "post__title"]
    list_select_related = ["post", "author"]
    raw_id_fields = ["post", "author", "parent"]
    readonly_fields = ["like_count", "removed_by", "removed_at", "edited_at", "is_removed"]
    actions = ["remove", "restore"]

    @admin.action(description="Remove the selected comments (shown as removed)")
    def remove(self, request, queryset):
        for comment in queryset:
            services.remove_comment(comment=comment, by=request.user)
        self.message_user(request, f"{queryset.count()} comment(s) removed.", messages.SUCCESS)

    @admin.action(description="Restore the selected comments")
    def restore(self, request, queryset):
        restored = 0
        for comment in queryset:
            try:
                services.restore_comment(comment=comment, by=request.user)
                restored += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{comment}: {' '.join(error.messages)}", messages.WARNING
                )
        self.message_user(request, f"{restored} comment(s) restored.", messages.SUCCESS)


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["user", "comment_emails", "updated_at"]
    list_filter = ["comment_emails"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
