"""The admin runs the catalog: courses, sections with lessons, publishing, enrolments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Course, Lesson
from learning.models import Enrollment, LessonProgress
from tests.courses.factories import bulk_courses
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def test_admin_course_list_query_count_does_not_grow(admin_client, django_assert_num_queries):
    category = CategoryFactory()
    url = reverse("admin:courses_course_changelist")
    bulk_courses(3, category=category, prefix="a")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(url).status_code == 200
    bulk_courses(30, category=category, prefix="b")
    with django_assert_num_queries(len(small.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_admin_can_filter_courses_by_free_and_status(admin_client):
    CourseFactory(title="Gratis", price_amount=0)
    CourseFactory(title="Costly", price_amount=4900, status="draft", published_at=None)
    url = reverse("admin:courses_course_changelist")
    html = admin_client.get(url, {"price": "free"}).content.decode()
    assert "Gratis" in html and "Costly" not in html
    html = admin_client.get(url, {"status__exact": "draft"}).content.decode()
    assert "Costly" in html and "Gratis" not in html


def test_publish_action_publishes_drafts_with_a_date(admin_client):
    draft = CourseFactory(status="draft", published_at=None)
    admin_client.post(
        reverse("admin:courses_course_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at is not None


def test_unpublish_action_hides_the_course_from_the_catalog(admin_client, client):
    course = CourseFactory(title="Soon hidden")
    admin_client.post(
        reverse("admin:courses_course_changelist"),
        {"action": "unpublish", "_selected_action": [course.pk]},
    )
    course.refresh_from_db()
    assert course.status == "draft"
    admin_client.logout()
    assert "Soon hidden" not in client.get(reverse("courses:catalog")).content.decode()


def test_admin_creates_a_published_course_and_dates_it(admin_client):
    category = CategoryFactory()
    response = admin_client.post(
        reverse("admin:courses_course_add"),
        {
            "title": "Admin made",
            "slug": "admin-made",
            "category": category.pk,
            "level": "beginner",
            "language": "en",
            "duration_minutes": 60,
            "price_amount": 1900,
            "currency": "EUR",
            "status": "published",
            "sections-TOTAL_FORMS": 1,
            "sections-INITIAL_FORMS": 0,
            "sections-0-title": "Start here",
            "sections-0-position": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Course.objects.get(slug="admin-made")
    assert course.published_at is not None
    assert course.sections.get().title == "Start here"


def test_editing_a_course_in_admin_shows_at_once_in_search(admin_client, client):
    course = CourseFactory(title="Before", slug="before")
    client.get(reverse("courses:catalog"), {"q": "renamed"})
    data = {
        "title": "Renamed course",
        "slug": course.slug,
        "category": course.category_id,
        "level": course.level,
        "language": "en",
        "duration_minutes": 0,
        "price_amount": course.price_amount,
        "currency": "EUR",
        "status": "published",
        "published_at_0": course.published_at.strftime("%Y-%m-%d"),
        "published_at_1": course.published_at.strftime("%H:%M:%S"),
        "sections-TOTAL_FORMS": 0,
        "sections-INITIAL_FORMS": 0,
    }
    response = admin_client.post(reverse("admin:courses_course_change", args=[course.pk]), data)
    assert response.status_code == 302
    html = client.get(reverse("courses:catalog"), {"q": "renamed"}).content.decode()
    assert "Renamed course" in html


def test_section_admin_saves_and_reorders_lessons_for_its_course(admin_client):
    section = SectionFactory()
    first = LessonFactory(section=section, title="First", slug="first", position=1)
    second = LessonFactory(section=section, title="Second", slug="second", position=2)
    prefix = "lessons"
    data = {
        "course": section.course_id,
        "title": section.title,
        "position": section.position,
        f"{prefix}-TOTAL_FORMS": 3,
        f"{prefix}-INITIAL_FORMS": 2,
    }
    for i, (lesson, position) in enumerate(((first, 2), (second, 1))):
        data.update(
            {
                f"{prefix}-{i}-id": lesson.pk,
                f"{prefix}-{i}-section": section.pk,
                f"{prefix}-{i}-position": position,
                f"{prefix}-{i}-title": lesson.title,
                f"{prefix}-{i}-slug": lesson.slug,
                f"{prefix}-{i}-kind": "text",
                f"{prefix}-{i}-estimated_minutes": 5,
            }
        )
    data.update(
        {
            f"{prefix}-2-section": section.pk,
            f"{prefix}-2-position": 3,
            f"{prefix}-2-title": "Third",
            f"{prefix}-2-slug": "third",
            f"{prefix}-2-kind": "text",
            f"{prefix}-2-estimated_minutes": 5,
        }
    )
    response = admin_client.post(reverse("admin:courses_section_change", args=[section.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    lessons = list(Lesson.objects.filter(section=section).order_by("position"))
    assert [lesson.title for lesson in lessons] == ["Second", "First", "Third"]
    assert all(lesson.course_id == section.course_id for lesson in lessons)


def test_enrollment_admin_searches_by_email_and_filters_by_source(admin_client, learner):
    EnrollmentFactory(user=learner, course=CourseFactory(title="Found"), source="admin")
    EnrollmentFactory(course=CourseFactory(title="Other"), source="free")
    url = reverse("admin:learning_enrollment_changelist")
    html = admin_client.get(url, {"q": "alice@example.com"}).content.decode()
    assert "Found" in html and "Other" not in html
    html = admin_client.get(url, {"source__exact": "free"}).content.decode()
    assert "Other" in html and "Found" not in html


def test_enrollment_admin_filters_revoked_enrolments(admin_client):
    EnrollmentFactory(course=CourseFactory(title="Kept"))
    revoked = EnrollmentFactory(course=CourseFactory(title="Taken away"))
    Enrollment.objects.filter(pk=revoked.pk).update(revoked_at="2026-01-01T00:00Z")
    html = admin_client.get(
        reverse("admin:learning_enrollment_changelist"), {"access": "revoked"}
    ).content.decode()
    assert "Taken away" in html and "Kept" not in html


def test_revoke_action_takes_access_away(admin_client):
    enrollment = EnrollmentFactory()
    admin_client.post(
        reverse("admin:learning_enrollment_changelist"),
        {"action": "revoke", "_selected_action": [enrollment.pk]},
    )
    enrollment.refresh_from_db()
    assert enrollment.revoked_at is not None


def test_lesson_progress_is_read_only_in_admin(admin_client):
    enrollment = EnrollmentFactory()
    lesson = LessonFactory(section__course=enrollment.course)
    progress = LessonProgress.objects.create(enrollment=enrollment, lesson=lesson)
    assert admin_client.get(reverse("admin:learning_lessonprogress_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:learning_lessonprogress_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:learning_lessonprogress_delete", args=[progress.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert LessonProgress.objects.filter(pk=progress.pk).exists()


def test_learners_cannot_open_the_catalog_admin(client, learner):
    client.force_login(learner)
    response = client.get(reverse("admin:courses_course_changelist"))
    assert response.status_code == 302
