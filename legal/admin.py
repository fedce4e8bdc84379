"""Staff edit a legal page by publishing a new version of it; published versions are frozen."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from legal.models import LegalDocument, LegalVersion, TermsAcceptance
from legal.selectors import current_version
from legal.services import publish_version


class VersionInline(admin.TabularInline):
    model = LegalVersion
    fields = ["number", "published_at", "published_by", "change_note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "publish_link"]
    readonly_fields = ["kind", "publish_link"]
    fields = ["kind", "title", "publish_link"]
    inlines = [VersionInline]

    @admin.display(description="Edit")
    def publish_link(self, obj: LegalDocument) -> str:
        url = reverse("admin:legal_legalversion_add") + f"?document={obj.pk}"
        return format_html('<a href="{}">Publish a new version</a>', url)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the four kinds exist from the first migration

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(LegalVersion)
class LegalVersionAdmin(admin.ModelAdmin):
    list_display = ["document", "number", "published_at", "published_by"]
    list_filter = ["document"]
    fields = ["document", "body", "change_note", "number", "published_at", "published_by"]
    readonly_fields = ["number", "published_at", "published_by"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """A new version starts as a copy of the current one, so staff edit rather than retype."""
        initial = super().get_changeform_initial_data(request)
        document = LegalDocument.objects.filter(pk=initial.get("document") or None).first()
        current = current_version(document.kind) if document else None
        if current is not None:
            initial["body"] = current.body
        return initial

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is not None:  # published: frozen, so what people accepted stays as it was
            return [*self.fields]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: LegalVersion, form, change: bool) -> None:
        if change:
            return
        published = publish_version(
            document=obj.document,
            body=obj.body,
            change_note=obj.change_note,
            published_by=request.user,
        )
        obj.pk, obj.number, obj.published_at = (
            published.pk,
            published.number,
            published.published_at,
        )
        obj.published_by = published.published_by

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["user", "terms_version", "privacy_version", "accepted_at", "source"]
    list_select_related = ["user", "terms_version__document", "privacy_version__document"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "terms_version", "privacy_version", "accepted_at", "source"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
