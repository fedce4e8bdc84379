"""Support: take a learner's access to a course away; their progress is kept."""

from django.core.management.base import BaseCommand, CommandError

from learning.models import Enrollment
from pages.management.commands._support import user_and_course
from pages.services import withdraw_access


class Command(BaseCommand):
    help = "Revoke a learner's enrollment: revoke_enrollment EMAIL COURSE_SLUG [--reason TEXT]."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The learner's email address.")
        parser.add_argument("course_slug", help="The course's slug, as in its URL.")
        parser.add_argument(
            "--reason", default="Revoked by support", help="Why (kept on the enrollment)."
        )

    def handle(self, *args, email: str, course_slug: str, reason: str, **options) -> None:
        user, course = user_and_course(email, course_slug)
        enrollment = Enrollment.objects.filter(user=user, course=course).first()
        if enrollment is None:
            raise CommandError(f"{user.email} is not enrolled in {course.slug}.")
        if not enrollment.is_active:
            self.stdout.write(f"{user.email}'s access to {course.slug} was already revoked.")
            return
        withdraw_access(user=user, course=course, reason=reason)
        self.stdout.write(self.style.SUCCESS(f"Revoked {user.email}'s access to {course.slug}."))
