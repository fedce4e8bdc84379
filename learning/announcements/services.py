"""Writing and publishing announcements, and emailing one batch of recipients.

Publishing records one AnnouncementDelivery per learner with an active enrollment, then
enqueues one task per BATCH_SIZE of them after commit. A delivery's sent_at is set in the same
transaction that sends its email, under a row lock, so a retried or duplicated batch emails
nobody twice.
"""

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from core.tasks import enqueue
from courses.models import Course
from learning.models import Announcement, AnnouncementDelivery, Enrollment

# Enqueued by name (core.tasks): the tasks module imports this one.
BATCH_TASK = "learning.announcements.tasks.send_announcement_batch"

BATCH_SIZE = 200


def create_announcement(
    *, course: Course, title: str, body: str, author: User | None
) -> Announcement:
    """A draft announcement; nobody sees or receives it until publish_announcement."""
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationError("An announcement needs a title and a message.")
    return Announcement.objects.create(course=course, title=title, body=body, author=author)


@transaction.atomic
def publish_announcement(*, announcement: Announcement) -> int:
    """Show the announcement on the study pages and email it to the course's learners.

    Returns how many learners will be emailed. Publishing twice sends nothing the second time.
    """
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.is_published:
        return 0
    announcement.published_at = timezone.now()
    announcement.save(update_fields=["published_at"])
    learners = (
        Enrollment.objects.filter(course_id=announcement.course_id, revoked_at__isnull=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    AnnouncementDelivery.objects.bulk_create(
        (AnnouncementDelivery(announcement=announcement, user_id=uid) for uid in learners),
        batch_size=1000,
        ignore_conflicts=True,
    )
    delivery_ids = list(
        announcement.deliveries.filter(sent_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(delivery_ids), BATCH_SIZE):
        batch = delivery_ids[start : start + BATCH_SIZE]
        # partial binds this batch now; a lambda would see only the loop's last one.
        transaction.on_commit(partial(enqueue, BATCH_TASK, announcement.pk, batch))
    return len(delivery_ids)


def _message(announcement: Announcement, user: User) -> EmailMultiAlternatives:
    context = {"announcement": announcement, "user": user, "site_url": settings.SITE_URL}
    subject = render_to_string("emails/announcement_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/announcement.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("emails/announcement.html", context), "text/html")
    return message


def send_announcement_batch(*, announcement_id: int, delivery_ids: list[int]) -> int:
    """Email the not yet emailed learners among these deliveries; returns how many were sent.

    Each recipient is sent and marked in its own transaction, holding the row lock: a copy of
    this batch running at the same time skips the rows it holds (skip_locked), and one that
    runs later finds them marked. A learner whose access ended since publishing is skipped.
    """
    announcement = Announcement.objects.select_related("course").filter(pk=announcement_id).first()
    if announcement is None or not announcement.is_published:
        return 0
    active = Enrollment.objects.filter(
        user_id=OuterRef("user_id"), course_id=announcement.course_id, revoked_at__isnull=True
    )
    sent = 0
    with get_connection() as connection:
        for delivery_id in delivery_ids:
            with transaction.atomic():
                delivery = (
                    AnnouncementDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("user")
                    .filter(
                        pk=delivery_id,
                        announcement_id=announcement_id,
                        sent_at__isnull=True,
                        user__is_active=True,
                    )
                    .filter(Exists(active))
                    .first()
                )
                if delivery is None:
                    continue
                message = _message(announcement, delivery.user)
                message.connection = connection
                message.send()
                delivery.sent_at = timezone.now()
                delivery.save(update_fields=["sent_at"])
                sent += 1
    return sent
