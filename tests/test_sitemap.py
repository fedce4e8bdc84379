"""sitemap.xml covers published courses and blog posts; robots.txt points to it."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.blog.factories import PostFactory
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(client, **headers) -> list[str]:
    response = client.get(reverse("sitemap"), **headers)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    return [url.findtext(f"{NS}loc") for url in root.findall(f"{NS}url")]


def test_sitemap_lists_published_courses_and_posts(client):
    CourseFactory(slug="sql-basics")
    PostFactory(slug="why-sql")
    locations = sitemap_locations(client, HTTP_HOST="school.example")
    assert "http://school.example/courses/sql-basics/" in locations
    assert "http://school.example/blog/why-sql/" in locations
    assert "http://school.example/blog/" in locations


def test_sitemap_leaves_out_drafts_and_future_posts(client):
    CourseFactory(slug="draft-course", status="draft", published_at=None)
    PostFactory(slug="draft-post", status="draft", publish_at=None)
    PostFactory(slug="later", status="scheduled", publish_at=timezone.now() + timedelta(days=1))
    locations = " ".join(sitemap_locations(client))
    assert "draft-course" not in locations
    assert "draft-post" not in locations
    assert "/blog/later/" not in locations


def test_sitemap_uses_the_host_of_the_request(client):
    PostFactory(slug="hello")
    locations = sitemap_locations(client, HTTP_HOST="www.dataschool.example", secure=True)
    assert "https://www.dataschool.example/blog/hello/" in locations
    assert not any("example.com" in loc for loc in locations)


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get(reverse("robots_txt"), HTTP_HOST="school.example")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://school.example/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text
