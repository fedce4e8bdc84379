"""Writes on certificates: issue once per completed enrollment, name choice, revoke, restore.

Issuing runs in a Celery task (learning.certificates.tasks) enqueued after the transaction
that completed a lesson commits, so a slow signature or email never holds up the lesson page.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.emails import send_templated_email
from core.tasks import enqueue
from courses.models import Course, Lesson
from learning import credentials
from learning.models import Certificate, Enrollment, LessonProgress

ISSUER_NAME = "Data School"


def schedule_certificate(*, enrollment: Enrollment) -> None:
    """After a completion commits, ask the worker to issue the certificate if the course is done.

    learning.services.complete_lesson calls it, so every way of completing a lesson does.
    """
    if not course_is_complete(enrollment=enrollment):
        return
    transaction.on_commit(
        partial(enqueue, "learning.certificates.tasks.issue_certificate", enrollment.pk)
    )


def course_is_complete(*, enrollment: Enrollment) -> bool:
    """Every lesson of the course has progress; graded lessons only get it by being passed."""
    lesson_ids = set(
        Lesson.objects.filter(course_id=enrollment.course_id).values_list("id", flat=True)
    )
    if not lesson_ids:
        return False
    done = set(
        LessonProgress.objects.filter(enrollment=enrollment, lesson_id__in=lesson_ids).values_list(
            "lesson_id", flat=True
        )
    )
    return done == lesson_ids


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + certificate.get_absolute_url()


def _credential(certificate: Certificate, course: Course) -> dict:
    url = verification_url(certificate)
    badge = credentials.open_badge(
        credential_id=url,
        issuer_url=settings.SITE_URL + "/",
        issuer_name=ISSUER_NAME,
        learner_name=certificate.learner_name,
        achievement_id=settings.SITE_URL + course.get_absolute_url(),
        achievement_name=course.title,
        achievement_description=course.subtitle or course.title,
        issued_at=certificate.issued_at,
        criteria="Completed every lesson of the course, passing its quizzes and exercises.",
    )
    return credentials.sign_credential(badge, created=certificate.issued_at)


@transaction.atomic
def issue_certificate(*, enrollment_id: int) -> Certificate | None:
    """Issue the enrollment's certificate if its course is complete; idempotent.

    The enrollment row is locked first, so completions arriving together (two tabs, a retried
    task) are serialised: the second sees the certificate already issued and does nothing.
    """
    enrollment = (
        Enrollment.objects.select_for_update()
        .select_related("user", "course")
        .filter(pk=enrollment_id)
        .first()
    )
    if enrollment is None or not enrollment.is_active:
        return None
    certificate = Certificate.objects.filter(enrollment=enrollment).first()
    if certificate is not None and certificate.is_issued:
        return certificate
    if not course_is_complete(enrollment=enrollment):
        return certificate
    if certificate is None:
        certificate = Certificate(enrollment=enrollment)
    user, course = enrollment.user, enrollment.course
    certificate.learner_name = certificate.learner_name or default_name(user)
    certificate.course_title = course.title
    certificate.issued_at = timezone.now().replace(microsecond=0)
    certificate.credential = _credential(certificate, course)
    certificate.save()
    send_templated_email(
        to=[user.email],
        template="certificate_issued",
        context={
            "user": user,
            "certificate": certificate,
            "url": verification_url(certificate),
            "site_url": settings.SITE_URL,
        },
    )
    return certificate


def default_name(user: User) -> str:
    return (user.display_name or user.email.split("@")[0])[:120]


@transaction.atomic
def choose_certificate_name(*, enrollment: Enrollment, name: str) -> Certificate:
    """Set the name the certificate will carry; refused once it has been issued."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Enter the name to print on your certificate.")
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    certificate, _ = Certificate.objects.get_or_create(enrollment=enrollment)
    if certificate.is_issued:
        raise ValidationError("Your certificate has been issued; its name can no longer change.")
    certificate.learner_name = name[:120]
    certificate.save(update_fields=["learner_name"])
    return certificate


@transaction.atomic
def revoke_certificates(*, user: User, course: Course) -> int:
    """Mark the learner's certificate for the course revoked (refund, lost dispute)."""
    return Certificate.objects.filter(
        enrollment__user=user, enrollment__course=course, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


@transaction.atomic
def restore_certificates(*, user: User, course: Course) -> int:
    """A re-enrolment gives the earlier certificate back its validity."""
    return Certificate.objects.filter(
        enrollment__user=user, enrollment__course=course, revoked_at__isnull=False
    ).update(revoked_at=None)


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's "Add license or certification" link, filled in for this certificate."""
    issued = certificate.issued_at
    query = urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": certificate.course_title,
            "organizationName": ISSUER_NAME,
            "issueYear": issued.year,
            "issueMonth": issued.month,
            "certUrl": verification_url(certificate),
            "certId": certificate.code,
        }
    )
    return f"https://www.linkedin.com/profile/add?{query}"
