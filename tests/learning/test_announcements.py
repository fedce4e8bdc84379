"""Announcements: published to a course's active learners by email in idempotent batches, and
listed on the study pages of enrolled learners only."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from learning.announcements import services
from learning.announcements.tasks import send_announcement_batch
from learning.models import Announcement, AnnouncementDelivery
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return course_with_lessons(2, price_amount=0)


def draft(course, **fields) -> Announcement:
    fields.setdefault("title", "Live Q&A on Friday")
    fields.setdefault("body", "Join us at **5 pm** with your questions.")
    return services.create_announcement(course=course, author=None, **fields)


def publish(announcement, capture) -> int:
    with capture(execute=True):
        return services.publish_announcement(announcement=announcement)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_only_learners_with_active_enrolments_in_the_course_are_emailed(
    course, learner, other_learner, django_capture_on_commit_callbacks
):
    EnrollmentFactory(user=learner, course=course)
    EnrollmentFactory(user=other_learner, course=course, revoked_at=timezone.now())
    EnrollmentFactory(user=UserFactory(email="elsewhere@example.com"))  # another course
    UserFactory(email="nobody@example.com")

    count = publish(draft(course), django_capture_on_commit_callbacks)

    assert count == 1
    assert recipients() == ["alice@example.com"]
    message = mail.outbox[0]
    assert message.subject == f"{course.title}: Live Q&A on Friday"
    assert "Join us at **5 pm**" in message.body
    assert "<strong>5 pm</strong>" in message.alternatives[0][0]
    assert reverse("learning:announcements", args=[course.slug]) in message.body


def test_recipients_are_split_into_batches_each_enqueued_as_a_task(
    course, monkeypatch, django_capture_on_commit_callbacks
):
    learners = [UserFactory() for _ in range(5)]
    for user in learners:
        EnrollmentFactory(user=user, course=course)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    batches = []
    real_enqueue = services.enqueue
    monkeypatch.setattr(
        services,
        "enqueue",
        lambda task, *args: batches.append(args[1]) or real_enqueue(task, *args),
    )

    publish(draft(course), django_capture_on_commit_callbacks)

    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert recipients() == sorted(user.email for user in learners)
    assert not AnnouncementDelivery.objects.filter(sent_at__isnull=True).exists()


def test_nothing_is_enqueued_before_the_transaction_commits(course, learner):
    EnrollmentFactory(user=learner, course=course)
    services.publish_announcement(announcement=draft(course))  # the test's transaction stays open
    assert mail.outbox == []


def test_a_batch_run_twice_emails_each_learner_once(
    course, learner, other_learner, django_capture_on_commit_callbacks
):
    EnrollmentFactory(user=learner, course=course)
    EnrollmentFactory(user=other_learner, course=course)
    announcement = draft(course)
    publish(announcement, django_capture_on_commit_callbacks)
    ids = list(AnnouncementDelivery.objects.values_list("id", flat=True))

    assert send_announcement_batch.delay(announcement.pk, ids).get() == 0
    assert send_announcement_batch.delay(announcement.pk, ids).get() == 0

    assert recipients() == ["alice@example.com", "bob@example.com"]


def test_a_batch_retried_after_a_failure_emails_only_those_not_yet_emailed(
    course, learner, other_learner, monkeypatch
):
    EnrollmentFactory(user=learner, course=course)
    EnrollmentFactory(user=other_learner, course=course)
    announcement = draft(course)
    services.publish_announcement(announcement=announcement)  # tasks not run: on_commit pending
    ids = list(AnnouncementDelivery.objects.order_by("user__email").values_list("id", flat=True))
    real_message = services._message

    def failing_for_bob(announcement, user):
        if user.email == "bob@example.com":
            raise ConnectionError("SMTP went away")
        return real_message(announcement, user)

    monkeypatch.setattr(services, "_message", failing_for_bob)
    with pytest.raises(ConnectionError):
        services.send_announcement_batch(announcement_id=announcement.pk, delivery_ids=ids)
    monkeypatch.setattr(services, "_message", real_message)
    sent = services.send_announcement_batch(announcement_id=announcement.pk, delivery_ids=ids)

    assert sent == 1
    assert recipients() == ["alice@example.com", "bob@example.com"]


def test_a_learner_whose_access_ended_after_publishing_is_not_emailed(
    course, learner, other_learner
):
    EnrollmentFactory(user=learner, course=course)
    EnrollmentFactory(user=other_learner, course=course)
    announcement = draft(course)
    services.publish_announcement(announcement=announcement)
    ids = list(AnnouncementDelivery.objects.values_list("id", flat=True))
    from learning.services import revoke_enrollment

    revoke_enrollment(user=other_learner, course=course, reason="refund")
    services.send_announcement_batch(announcement_id=announcement.pk, delivery_ids=ids)

    assert recipients() == ["alice@example.com"]


def test_publishing_twice_emails_nobody_the_second_time(
    course, learner, django_capture_on_commit_callbacks
):
    EnrollmentFactory(user=learner, course=course)
    announcement = draft(course)
    publish(announcement, django_capture_on_commit_callbacks)
    assert publish(announcement, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_an_announcement_needs_a_title_and_a_message(course):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_announcement(course=course, title="  ", body="x", author=None)


def test_the_batch_task_is_registered_with_the_celery_app():
    from config.celery import app

    app.loader.import_default_modules()
    assert "learning.announcements.tasks.send_announcement_batch" in app.tasks


# Study pages


def test_an_enrolled_learner_sees_published_announcements_on_the_lesson_page_newest_first(
    client, course, learner
):
    EnrollmentFactory(user=learner, course=course)
    older = draft(course, title="Welcome to the course")
    newer = draft(course, title="New exercises in lesson 2")
    draft(course, title="Unfinished draft")
    Announcement.objects.filter(pk=older.pk).update(published_at=timezone.now().replace(year=2025))
    Announcement.objects.filter(pk=newer.pk).update(published_at=timezone.now())
    client.force_login(learner)

    page = client.get(reverse("learning:lesson", args=[course.slug, "lesson-1"])).content.decode()

    assert "Announcements" in page
    assert page.index("New exercises in lesson 2") < page.index("Welcome to the course")
    assert "Unfinished draft" not in page


def test_the_lesson_page_shows_no_announcements_to_a_visitor_of_a_free_preview(
    client, course, other_learner, django_capture_on_commit_callbacks
):
    lesson = lessons_of(course)[0]
    lesson.is_preview = True
    lesson.save()
    publish(draft(course, title="For enrolled learners"), django_capture_on_commit_callbacks)
    client.force_login(other_learner)

    response = client.get(reverse("learning:lesson", args=[course.slug, lesson.slug]))

    assert response.status_code == 200
    assert "For enrolled learners" not in response.content.decode()


def test_the_announcements_page_lists_a_courses_announcements_for_its_learner(
    client, course, learner, django_capture_on_commit_callbacks
):
    EnrollmentFactory(user=learner, course=course)
    publish(draft(course), django_capture_on_commit_callbacks)
    client.force_login(learner)

    response = client.get(reverse("learning:announcements", args=[course.slug]))

    assert response.status_code == 200
    assert "Live Q&amp;A on Friday" in response.content.decode()
    assert "<strong>5 pm</strong>" in response.content.decode()


def test_a_learner_not_enrolled_is_sent_to_the_course_page_from_the_announcements_page(
    client, course, other_learner, django_capture_on_commit_callbacks
):
    publish(draft(course), django_capture_on_commit_callbacks)
    client.force_login(other_learner)

    response = client.get(reverse("learning:announcements", args=[course.slug]))

    assert response.status_code == 302
    assert response.url == course.get_absolute_url()


def test_an_anonymous_visitor_is_asked_to_log_in_for_the_announcements_page(client, course):
    response = client.get(reverse("learning:announcements", args=[course.slug]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_revoked_learner_cannot_read_the_announcements_page(client, course, learner):
    EnrollmentFactory(user=learner, course=course, revoked_at=timezone.now())
    client.force_login(learner)
    response = client.get(reverse("learning:announcements", args=[course.slug]))
    assert response.status_code == 302


# Admin


def test_staff_write_and_publish_an_announcement_in_the_admin(
    client, staff, course, learner, django_capture_on_commit_callbacks
):
    EnrollmentFactory(user=learner, course=course)
    client.force_login(staff)
    client.post(
        reverse("admin:learning_announcement_add"),
        {"course": course.pk, "title": "Office hours", "body": "Tuesdays."},
    )
    announcement = Announcement.objects.get(title="Office hours")
    assert announcement.author == staff and not announcement.is_published

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:learning_announcement_changelist"),
            {"action": "publish", "_selected_action": [announcement.pk]},
        )

    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.is_published
    assert recipients() == ["alice@example.com"]
    listing = client.get(reverse("admin:learning_announcement_changelist"))
    assert listing.status_code == 200


def test_a_learner_cannot_open_the_announcement_admin(client, learner):
    client.force_login(learner)
    response = client.get(reverse("admin:learning_announcement_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
