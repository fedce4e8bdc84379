"""Reads for certificate pages: the public one by code, and the learner's own per course."""

from __future__ import annotations

import re
from dataclasses import dataclass

import segno
from django.http import Http404

from accounts.models import User
from courses.models import Course, Lesson
from learning.models import Certificate, Enrollment, LessonProgress

CODE = re.compile(r"^[A-Za-z0-9_-]{10,40}$")


def public_certificate(*, code: str) -> Certificate:
    """An issued certificate (valid or revoked); 404 for an unknown or not yet issued code."""
    if not CODE.match(code):  # also keeps NUL bytes and the like away from the database
        raise Http404("No such certificate.")
    certificate = (
        Certificate.objects.select_related("enrollment__course", "enrollment__user")
        .filter(code=code, issued_at__isnull=False)
        .first()
    )
    if certificate is None:
        raise Http404("No such certificate.")
    return certificate


def qr_svg(url: str) -> str:
    """An inline SVG QR code for the URL (no XML declaration: it sits inside HTML)."""
    return segno.make(url, error="m").svg_inline(
        scale=4, border=2, title="QR code linking to the verification page", svgclass="qr"
    )


@dataclass
class MyCertificate:
    course: Course
    enrollment: Enrollment
    certificate: Certificate | None
    lesson_count: int
    completed_count: int

    @property
    def remaining(self) -> int:
        return max(self.lesson_count - self.completed_count, 0)


def my_certificate(*, slug: str, user: User) -> MyCertificate:
    """The learner's certificate (or progress towards it) for a course they are enrolled in."""
    enrollment = (
        Enrollment.objects.select_related("course")
        .filter(course__slug=slug, user=user, revoked_at__isnull=True)
        .first()
    )
    if enrollment is None:
        raise Http404("You are not enrolled in this course.")
    lesson_ids = Lesson.objects.filter(course_id=enrollment.course_id).values("id")
    return MyCertificate(
        course=enrollment.course,
        enrollment=enrollment,
        certificate=Certificate.objects.filter(enrollment=enrollment).first(),
        lesson_count=Lesson.objects.filter(course_id=enrollment.course_id).count(),
        completed_count=LessonProgress.objects.filter(
            enrollment=enrollment, lesson_id__in=lesson_ids
        ).count(),
    )
