"""Pages that show announcements are valid HTML (the Nu checker, as in test_html_validity)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import Announcement
from tests.courses.study_helpers import course_with_lessons
from tests.factories import EnrollmentFactory
from tests.test_html_validity import _run_vnu

pytestmark = pytest.mark.django_db


def test_the_lesson_and_announcements_pages_with_announcements_are_valid_html(
    client, learner, tmp_path
):
    course = course_with_lessons(2, price_amount=0)
    EnrollmentFactory(user=learner, course=course)
    for title in ["Welcome & hello", "New <exercises>"]:
        Announcement.objects.create(
            course=course,
            title=title,
            body="Some *Markdown*\n\n- a list",
            published_at=timezone.now(),
        )
    client.force_login(learner)
    urls = {
        "lesson": reverse("learning:lesson", args=[course.slug, "lesson-1"]),
        "announcements": reverse("learning:announcements", args=[course.slug]),
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200
        assert "New &lt;exercises&gt;" in response.content.decode()
        (tmp_path / f"{name}.html").write_bytes(response.content)

    assert [m for m in _run_vnu(tmp_path) if m.get("type") == "error"] == []
