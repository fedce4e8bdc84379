"""Recompute every course's rating average and count from its visible ratings."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from courses.models import Course
from ratings.services import refresh_course_rating


class Command(BaseCommand):
    help = (
        "Recompute each course's rating average and count (one transaction per course). "
        "Run after ratings were changed outside the ratings services (raw SQL, a restore)."
    )

    def handle(self, *args, **options):
        courses = Course.objects.only("pk").order_by("pk")
        total = courses.count()
        for course in tqdm(courses.iterator(), total=total, disable=options["verbosity"] < 1):
            refresh_course_rating(course=course)
        self.stdout.write(self.style.SUCCESS(f"Recomputed the ratings of {total} courses."))
