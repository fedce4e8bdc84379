"""The home page features new and popular courses, fresh after edits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_home_features_the_newest_courses(client):
    CourseFactory(title="Brand new", published_at=timezone.now())
    CourseFactory(title="Older", published_at=timezone.now() - timedelta(days=30))
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "New courses" in html
    assert html.index("Brand new") < html.index("Older")


def test_home_features_popular_courses(client):
    CourseFactory(title="Crowd favourite", enrollment_count=500)
    html = client.get(reverse("home")).content.decode()
    assert "Popular courses" in html
    assert "Crowd favourite" in html


def test_home_keeps_the_hero(client):
    html = client.get(reverse("home")).content.decode()
    assert "Learn data skills, one lesson at a time" in html


def test_home_never_shows_drafts(client):
    CourseFactory(title="Secret draft", status="draft", published_at=None)
    assert "Secret draft" not in client.get(reverse("home")).content.decode()


def test_home_shows_a_newly_published_course_at_once(client):
    client.get(reverse("home"))
    CourseFactory(title="Just published")
    assert "Just published" in client.get(reverse("home")).content.decode()
