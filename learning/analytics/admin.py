"""The seller's analytics in the admin (Learning: Course analytics): all courses, one course,
and their figures as CSV. Staff with the view permission only; nothing here writes."""

import csv
from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from core.charts import Chart, bar_chart, line_chart
from core.spreadsheets import spreadsheet_safe
from courses.models import Course
from learning.analytics.overview import overview
from learning.analytics.selectors import CourseReport, Week, course_report, weekly_enrollments
from learning.models import CourseAnalytics

CSV_TABLES = ("weeks", "lessons", "courses")


def duration_label(value: timedelta | None) -> str:
    """3 days 4 h; 5 h 10 min; 12 min. Says so when nobody completed."""
    if value is None:
        return "none completed"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def weeks_chart(weeks: list[Week], *, scope: str) -> Chart:
    return line_chart(
        chart_id="chart-weeks",
        title=f"Enrolments per week, {scope}",
        desc=(
            f"{sum(w.enrollments for w in weeks)} active enrolments over {len(weeks)} week(s)"
            + (
                f", most in the week of {max(weeks, key=lambda w: w.enrollments).start:%d %b %Y}."
                if weeks
                else "."
            )
        ),
        labels=[f"{w.start:%d %b %Y}" for w in weeks],
        values=[w.enrollments for w in weeks],
        x_label="Week starting",
        y_label="Enrolments",
    )


def funnel_chart(report: CourseReport) -> Chart:
    drop = report.drop_off
    return bar_chart(
        chart_id="chart-lessons",
        title=f"Share of learners who finished each lesson of {report.course.title}",
        desc=(
            f"Of {report.summary.enrollments} learners, {report.summary.started} started and "
            f"{report.summary.completed} completed. "
            + (
                f"Most drop off at lesson {drop.lesson.position}, {drop.lesson.title}."
                if drop
                else "No lesson loses learners."
            )
        ),
        labels=[str(step.position) for step in report.steps],
        values=[step.share for step in report.steps],
        x_label="Lesson, in course order",
        y_label="Learners who finished it",
        percent=True,
    )


def csv_response(filename: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return response


@admin.register(CourseAnalytics)
class CourseAnalyticsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(self._viewer_only(function))

        prefix = "learning_courseanalytics"
        # The admin's own URLs stay (the changelist is the overview, a "change" page sends to
        # the course's figures): the admin index and permissions work as for any model.
        return [
            path("csv/<str:table>/", view(self.overview_csv), name=f"{prefix}_csv"),
            path("<int:course_id>/", view(self.course_view), name=f"{prefix}_course"),
            path(
                "<int:course_id>/csv/<str:table>/",
                view(self.course_csv),
                name=f"{prefix}_course_csv",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        return self._viewer_only(self.overview_view)(request)

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        if not object_id.isdigit():
            raise Http404("No such course.")
        return redirect("admin:learning_courseanalytics_course", int(object_id))

    def _viewer_only(self, function):
        def wrapped(request, *args, **kwargs):
            if not self.has_view_permission(request):
                raise PermissionDenied
            return function(request, *args, **kwargs)

        return wrapped

    def _context(self, request: HttpRequest, title: str) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title}

    def overview_view(self, request: HttpRequest) -> TemplateResponse:
        weeks = weekly_enrollments()
        context = {
            **self._context(request, "Course analytics"),
            "overview": overview(),
            "weeks_chart": weeks_chart(weeks, scope="all courses"),
        }
        return TemplateResponse(request, "admin/analytics/overview.html", context)

    def course_view(self, request: HttpRequest, course_id: int) -> TemplateResponse:
        course = get_object_or_404(Course, pk=course_id)
        report = course_report(course=course)
        context = {
            **self._context(request, f"Analytics: {course.title}"),
            "report": report,
            "median_label": duration_label(report.summary.median_completion),
            "weeks_chart": weeks_chart(report.weeks, scope=course.title),
            "funnel_chart": funnel_chart(report),
        }
        return TemplateResponse(request, "admin/analytics/course.html", context)

    def overview_csv(self, request: HttpRequest, table: str) -> HttpResponse:
        if table == "weeks":
            rows = [[w.start.isoformat(), w.enrollments] for w in weekly_enrollments()]
            return csv_response("enrolments-per-week.csv", ["week_start", "enrolments"], rows)
        if table == "courses":
            data = overview(limit=None)
            rows = [
                [c.course_id, c.slug, c.title, c.enrollments, c.started, c.completed]
                for c in data.courses
            ]
            header = ["course_id", "slug", "title", "enrolments", "started", "completed"]
            return csv_response("courses.csv", header, rows)
        raise Http404("No such table.")

    def course_csv(self, request: HttpRequest, course_id: int, table: str) -> HttpResponse:
        course = get_object_or_404(Course, pk=course_id)
        if table == "weeks":
            rows = [[w.start.isoformat(), w.enrollments] for w in weekly_enrollments(course=course)]
            header = ["week_start", "enrolments"]
        elif table == "lessons":
            report = course_report(course=course)
            rows = [
                [s.position, s.lesson_id, s.title, s.finished, f"{s.share:.4f}"]
                for s in report.steps
            ]
            header = ["position", "lesson_id", "lesson", "finished", "share_of_enrolled"]
        else:
            raise Http404("No such table.")
        return csv_response(f"{course.slug}-{table}.csv", header, rows)
