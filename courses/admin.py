"""Running the catalog from the Django admin: categories, courses, sections and lessons.

Enrolments and progress are in learning/admin.py."""

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
from courses.models import Category, Course, Lesson, Section
from courses.publishing import publish_courses, unpublish_courses


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
    fields = ["position", "title", "release_after_days", "release_on", "lesson_total"]
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
            "prerequisite",
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
    autocomplete_fields = ["instructor", "category", "prerequisite"]
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
        ("Prerequisite", {"fields": ["prerequisite"]}),
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
    list_display = ["title", "course_link", "position", "release_after_days", "release_on"]
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


@admin.register(Lesson)
class LessonAdmin(RobustAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_HTTPS
    list_display = ["title", "course", "section", "position", "kind", "is_preview"]
    list_select_related = ["course", "section"]
    list_filter = ["kind", "is_preview"]
    search_fields = ["title", "course__title"]
    autocomplete_fields = ["section"]
    prepopulated_fields = {"slug": ["title"]}
    # Lesson.save() copies the course from the section: it is never typed in.
    exclude = ["course"]
