"""Support: give a learner access to a course (recorded as granted by an admin)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from learning.models import Enrollment
from pages.management.commands._support import user_and_course
from pages.services import grant_access


class Command(BaseCommand):
    help = "Enrol a learner in a course: grant_enrollment EMAIL COURSE_SLUG."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The learner's email address.")
        parser.add_argument("course_slug", help="The course's slug, as in its URL.")

    def handle(self, *args, email: str, course_slug: str, **options) -> None:
        user, course = user_and_course(email, course_slug)
        existing = Enrollment.objects.filter(user=user, course=course, revoked_at=None).first()
        if existing is not None:
            how = existing.get_source_display()
            self.stdout.write(f"{user.email} already has access to {course.slug} ({how}).")
            return
        try:
            grant_access(user=user, course=course, source=Enrollment.Source.ADMIN)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Granted {user.email} access to {course.slug}."))
