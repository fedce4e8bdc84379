"""Quiz authoring (quiz → questions → options) and the per-course gradebook in the admin.

Django's admin has no nested inlines: a quiz's page lists its questions, and each question's
page holds its options. The option formset checks what grading needs (a correct option, and
exactly one for single choice and true/false).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.admin import RobustAdminMixin
from courses.models import Course
from learning.models import Quiz, QuizAttempt, QuizOption, QuizQuestion
from learning.quizzes.gradebook import gradebook, gradebook_csv


class QuestionInline(admin.TabularInline):
    model = QuizQuestion
    fields = ["position", "kind", "prompt", "points", "edit_options"]
    readonly_fields = ["edit_options"]
    extra = 0
    show_change_link = True
    formfield_overrides = {
        QuizQuestion._meta.get_field("prompt"): {"widget": forms.Textarea(attrs={"rows": 2})}
    }

    @admin.display(description="Options and answers")
    def edit_options(self, obj: QuizQuestion) -> str:
        if not obj.pk:
            return "Save, then edit the question"
        url = reverse("admin:learning_question_change", args=[obj.pk])
        return format_html('<a href="{}">Edit answers</a>', url)


@admin.register(Quiz)
class QuizAdmin(RobustAdminMixin, admin.ModelAdmin):
    list_display = ["lesson", "course", "mode", "pass_mark", "max_attempts", "gradebook_link"]
    list_select_related = ["lesson__course"]
    list_filter = ["mode"]
    search_fields = ["lesson__title", "lesson__course__title"]
    raw_id_fields = ["lesson"]
    inlines = [QuestionInline]

    @admin.display(description="Course", ordering="lesson__course__title")
    def course(self, obj: Quiz) -> str:
        return obj.lesson.course.title

    @admin.display(description="Gradebook")
    def gradebook_link(self, obj: Quiz) -> str:
        url = reverse("admin:learning_quiz_gradebook", args=[obj.lesson.course_id])
        return format_html('<a href="{}">Gradebook</a>', url)

    def get_urls(self):
        view = self.admin_site.admin_view(self.gradebook_view)
        return [
            path("gradebook/<int:course_id>/", view, name="learning_quiz_gradebook"),
            *super().get_urls(),
        ]

    def gradebook_view(self, request: HttpRequest, course_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        course = get_object_or_404(Course, pk=course_id)
        book = gradebook(course=course)
        if request.GET.get("format") == "csv":
            response = HttpResponse(gradebook_csv(book), content_type="text/csv; charset=utf-8")
            name = f"gradebook-{course.slug}.csv"
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": f"Gradebook: {course.title}",
            "book": book,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "learning/quiz_gradebook.html", context)


class OptionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        question = self.instance
        kind = getattr(question, "kind", None)
        if kind not in QuizQuestion.CHOICE_KINDS:
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        correct = sum(1 for data in kept if data.get("is_correct"))
        if kind == QuizQuestion.Kind.TRUE_FALSE and len(kept) != 2:
            raise ValidationError("A true/false question has exactly two options: True, False.")
        if kind in (QuizQuestion.Kind.SINGLE, QuizQuestion.Kind.TRUE_FALSE) and correct != 1:
            raise ValidationError("Mark exactly one option as correct.")
        if kind == QuizQuestion.Kind.MULTIPLE and correct < 1:
            raise ValidationError("Mark at least one option as correct.")


class OptionInline(admin.TabularInline):
    model = QuizOption
    formset = OptionFormSet
    fields = ["position", "text", "is_correct", "feedback"]
    extra = 2
    formfield_overrides = {
        QuizOption._meta.get_field("feedback"): {"widget": forms.Textarea(attrs={"rows": 2})}
    }


class QuestionForm(forms.ModelForm):
    class Meta:
        model = QuizQuestion
        fields = [
            "quiz",
            "position",
            "kind",
            "prompt",
            "points",
            "explanation",
            "numeric_answer",
            "tolerance",
            "accepted_answers",
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == QuizQuestion.Kind.NUMERIC and data.get("numeric_answer") is None:
            self.add_error("numeric_answer", "A number question needs its answer.")
        if kind == QuizQuestion.Kind.TEXT and not (data.get("accepted_answers") or "").strip():
            self.add_error("accepted_answers", "Give at least one accepted answer.")
        return data


@admin.register(QuizQuestion)
class QuestionAdmin(RobustAdminMixin, admin.ModelAdmin):
    form = QuestionForm
    list_display = ["__str__", "quiz", "kind", "points", "position"]
    list_select_related = ["quiz__lesson"]
    list_filter = ["kind"]
    search_fields = ["prompt", "quiz__lesson__title"]
    raw_id_fields = ["quiz"]
    inlines = [OptionInline]
    fieldsets = [
        (None, {"fields": ["quiz", "position", "kind", "prompt", "points", "explanation"]}),
        ("Number questions", {"fields": ["numeric_answer", "tolerance"]}),
        ("Short-text questions", {"fields": ["accepted_answers"]}),
    ]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(RobustAdminMixin, admin.ModelAdmin):
    """Read only: attempts are made and graded by the learner's submission."""

    list_display = ["user", "quiz", "number", "submitted_at", "score", "max_score", "passed"]
    list_select_related = ["user", "quiz__lesson"]
    list_filter = ["passed"]
    search_fields = ["user__email", "quiz__lesson__title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
