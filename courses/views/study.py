"""Course page, enrolment, lessons, progress and My learning."""

from django.shortcuts import render


def _placeholder(request, heading):
    return render(request, "core/placeholder.html", {"heading": heading})


def course_detail(request, slug):
    return _placeholder(request, "Course")


def enroll(request, slug):
    return _placeholder(request, "Enrol")


def resume(request, slug):
    return _placeholder(request, "Resume")


def lesson(request, slug, lesson_slug):
    return _placeholder(request, "Lesson")


def complete_lesson(request, slug, lesson_slug):
    return _placeholder(request, "Complete")


def my_learning(request):
    return _placeholder(request, "My learning")
