"""Enrolments and progress (read only; pages adds the revoke action), Q&A moderation, notes,
SQL exercises and certificates in the Django admin."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import RobustAdminMixin

# Announcements and the seller's analytics register their own admins when imported.
from learning.analytics import admin as analytics_admin  # noqa: F401
from learning.announcements import admin as announcements_admin  # noqa: F401
from learning.exercises.services import load_dataset_tables
from learning.models import (
    Answer,
    Certificate,
    Dataset,
    DatasetTable,
    Enrollment,
    Exercise,
    ExerciseRun,
    LessonProgress,
    Note,
    Question,
)
from learning.questions.services import restore_post
from learning.sql_sandbox import SandboxError, run_query, table_from_csv


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


# --- SQL exercises and certificates --------------------------------------------------------


class DatasetTableForm(forms.ModelForm):
    """A CSV upload (or pasted text) that must load: its errors are shown on the form."""

    upload = forms.FileField(
        required=False, help_text="A CSV file with a header row; replaces the text below."
    )

    class Meta:
        model = DatasetTable
        fields = ["name", "upload", "csv_text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["csv_text"].required = False

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            try:
                cleaned["csv_text"] = upload.read(MAX_CSV_BYTES + 1).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    {"upload": "The CSV file must be UTF-8 text."}
                ) from None
            if len(cleaned["csv_text"]) > MAX_CSV_BYTES:
                raise forms.ValidationError({"upload": "The CSV file is larger than 5 MB."})
        text, name = cleaned.get("csv_text") or "", cleaned.get("name")
        if not text.strip():
            raise forms.ValidationError({"csv_text": "Upload a CSV file or paste its text."})
        if name:
            try:
                table_from_csv(name=name, text=text)
            except SandboxError as error:
                raise forms.ValidationError({"upload": str(error)}) from None
        return cleaned


MAX_CSV_BYTES = 5 * 1024 * 1024


class DatasetTableInline(admin.StackedInline):
    model = DatasetTable
    form = DatasetTableForm
    extra = 1
    readonly_fields = ["columns", "row_count"]


@admin.register(Dataset)
class DatasetAdmin(RobustAdminMixin, admin.ModelAdmin):
    """Saving loads the tables into the dataset's own schema (sqlx_<slug>)."""

    list_display = ["name", "slug", "loaded_at"]
    search_fields = ["name", "slug"]
    inlines = [DatasetTableInline]
    readonly_fields = ["loaded_at"]

    def get_readonly_fields(self, request, obj=None):
        # The schema is named after the slug: renaming would orphan the loaded schema.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        load_dataset_tables(dataset=form.instance)
        self.message_user(request, f"Loaded into schema {form.instance.schema}.", messages.INFO)


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = ["lesson", "task", "dataset", "reference_query", "order_matters"]

    def clean(self):
        cleaned = super().clean()
        dataset, query = cleaned.get("dataset"), cleaned.get("reference_query")
        if dataset and query:
            # Staff see at once if the reference cannot run as learners' queries do.
            try:
                run_query(schema=dataset.schema, query=query)
            except SandboxError as error:
                raise forms.ValidationError({"reference_query": str(error)}) from None
        return cleaned


@admin.register(Exercise)
class ExerciseAdmin(RobustAdminMixin, admin.ModelAdmin):
    form = ExerciseForm
    list_display = ["lesson", "dataset", "order_matters"]
    list_select_related = ["lesson", "dataset"]
    search_fields = ["lesson__title", "lesson__course__title"]
    autocomplete_fields = ["lesson"]


@admin.register(ExerciseRun)
class ExerciseRunAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["user", "exercise", "verdict", "created_at"]
    list_filter = ["verdict"]
    list_select_related = ["user", "exercise__lesson"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# Quiz authoring and the gradebook register themselves (kept in their own module).
import learning.quizzes.admin  # noqa: E402, F401


@admin.register(Certificate)
class CertificateAdmin(RobustAdminMixin, admin.ModelAdmin):
    """Read only: certificates are issued by completion and revoked with the enrolment."""

    list_display = ["code", "learner_name", "course_title", "issued_at", "revoked_at"]
    list_select_related = ["enrollment__user"]
    search_fields = ["code", "learner_name", "enrollment__user__email", "course_title"]
    date_hierarchy = "issued_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
