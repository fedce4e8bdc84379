"""Running the catalog from the Django admin: categories, courses, sections and lessons,
enrolments (read and revoke) and progress (read only)."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin import RobustAdminMixin
from core.templatetags.markup import money
from courses.models import Category, Course, Enrollment, Lesson, LessonProgress, Section
from courses.publishing import publish_courses, unpublish_courses
from courses.services import revoke_enrollment


@admin.register(Category)
class CategoryAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "course_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(course_total=Count("courses"))

    @admin.display(description="Courses", ordering="course_total")
    def course_count(self, obj: Category) -> int:
        return obj.course_total


class PriceFilter(admin.SimpleListFilter):
    title = "price"
    parameter_name = "price"

    def lookups(self, request, model_admin):
        return [("free", "Free"), ("paid", "Paid")]

    def queryset(self, request, queryset):
        if self.value() == "free":
            return queryset.filter(price_amount=0)
        if self.value() == "paid":
            return queryset.filter(price_amount__gt=0)
        return queryset


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "title", "lesson_total"]
    readonly_fields = ["lesson_total"]
    ordering = ["position", "id"]
    extra = 0
    show_change_link = True  # the section page edits its lessons

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lesson_count=Count("lessons"))

    @admin.display(description="Lessons")
    def lesson_total(self, obj: Section) -> int:
        return getattr(obj, "lesson_count", 0)


class CourseAdminForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "slug",
            "subtitle",
            "category",
            "instructor",
            "cover",
            "description",
            "outcomes",
            "level",
            "language",
            "duration_minutes",
            "price_amount",
            "currency",
            "status",
            "published_at",
        ]

    def clean(self):
        data = super().clean()
        # Published without a date: today (the database requires a date on published courses).
        if data.get("status") == Course.Status.PUBLISHED and not data.get("published_at"):
            data["published_at"] = timezone.now()
            self.instance.published_at = data["published_at"]
        return data


@admin.register(Course)
class CourseAdmin(RobustAdminMixin, admin.ModelAdmin):
    form = CourseAdminForm
    list_display = [
        "title",
        "category",
        "level",
        "language",
        "price",
        "status",
        "published_at",
        "enrollment_count",
        "rating_average",
    ]
    list_filter = ["status", "category", "level", "language", PriceFilter]
    list_select_related = ["category"]
    search_fields = ["title", "subtitle", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["instructor", "category"]
    date_hierarchy = "published_at"
    inlines = [SectionInline]
    actions = ["publish", "unpublish"]
    readonly_fields = [
        "rating_average",
        "rating_count",
        "enrollment_count",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "subtitle", "category", "instructor", "cover"]}),
        (
            "Content",
            {"fields": ["description", "outcomes", "level", "language", "duration_minutes"]},
        ),
        ("Price", {"fields": ["price_amount", "currency"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
        (
            "Statistics",
            {
                "classes": ["collapse"],
                "fields": [
                    "rating_average",
                    "rating_count",
                    "enrollment_count",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    @admin.display(description="Price", ordering="price_amount")
    def price(self, obj: Course) -> str:
        return money(obj.price_amount, obj.currency)

    @admin.action(description="Publish selected courses")
    def publish(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        count = publish_courses(courses=queryset)
        self.message_user(request, f"{count} course(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected courses (back to draft)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        count = unpublish_courses(courses=queryset)
        self.message_user(request, f"{count} course(s) unpublished.", messages.SUCCESS)


# Video URLs are https (also silences Django 6's change of the default scheme).
URL_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class LessonInline(admin.TabularInline):
    model = Lesson
    formfield_overrides = URL_HTTPS
    fields = ["position", "title", "slug", "kind", "video_url", "estimated_minutes", "is_preview"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["position", "id"]
    extra = 0
    show_change_link = True  # the lesson page edits its Markdown body and file


@admin.register(Section)
class SectionAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["title", "course_link", "position"]
    list_select_related = ["course"]
    list_filter = ["course__category"]
    search_fields = ["title", "course__title"]
    autocomplete_fields = ["course"]
    ordering = ["course__title", "position"]
    inlines = [LessonInline]

    @admin.display(description="Course", ordering="course__title")
    def course_link(self, obj: Section) -> str:
        url = reverse("admin:courses_course_change", args=[obj.course_id])
        return format_html('<a href="{}">{}</a>', url, obj.course.title)

    def save_formset(self, request, form, formset, change) -> None:
        # Lessons carry their section's course (denormalised for fast course-wide queries).
        for lesson in formset.save(commit=False):
            lesson.course_id = form.instance.course_id
            lesson.save()
        for lesson in formset.deleted_objects:
            lesson.delete()
        formset.save_m2m()


@admin.register(Lesson)
class LessonAdmin(RobustAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_HTTPS
    list_display = ["title", "course", "section", "position", "kind", "is_preview"]
    list_select_related = ["course", "section"]
    list_filter = ["kind", "is_preview"]
    search_fields = ["title", "course__title"]
    autocomplete_fields = ["section"]
    prepopulated_fields = {"slug": ["title"]}
    exclude = ["course"]

    def save_model(self, request, obj: Lesson, form, change) -> None:
        obj.course_id = obj.section.course_id
        super().save_model(request, obj, form, change)


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
