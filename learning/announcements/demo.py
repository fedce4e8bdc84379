"""The demo announcement seed_demo adds, so the study pages show one (idempotent, no email)."""

from django.utils import timezone

from courses.models import Course
from learning.models import Announcement

DEMO_COURSE_SLUG = "python-for-data-analysis"
DEMO_TITLE = "Welcome, and a new exercise set"
DEMO_BODY = """Welcome to the course! Two things to know:

- The **exercise set for lesson 3** has been updated with a real-world sales dataset.
- Questions are welcome in the lesson Q&A; we answer within a day.

Happy learning!"""


def seed_demo_announcement() -> Announcement | None:
    """Publish the demo announcement once on the demo course; the demo learners are not emailed
    (seeding is not a message to anyone)."""
    course = Course.objects.filter(slug=DEMO_COURSE_SLUG).first()
    if course is None:
        return None
    announcement, _ = Announcement.objects.get_or_create(
        course=course,
        title=DEMO_TITLE,
        defaults={"body": DEMO_BODY, "published_at": timezone.now()},
    )
    return announcement
