"""RSS and Atom feeds: valid XML listing only published posts, with absolute links."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.blog.factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def posts():
    PostFactory(title="Public post", slug="public-post", tags=[TagFactory(name="SQL")])
    PostFactory(title="Draft post", status="draft", publish_at=None)
    PostFactory(title="Future post", status="scheduled", publish_at=timezone.now() + timedelta(1))


def test_rss_feed_parses_and_lists_only_published_posts(client, posts):
    response = client.get(reverse("blog:feed_rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles == ["Public post"]


def test_rss_items_link_to_the_post_on_the_requested_host(client, posts):
    response = client.get(reverse("blog:feed_rss"), HTTP_HOST="blog.example.org")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    item = next(root.iter("item"))
    assert item.findtext("link") == "http://blog.example.org/blog/public-post/"
    assert item.findtext("category") == "SQL"


def test_atom_feed_parses_and_lists_only_published_posts(client, posts):
    response = client.get(reverse("blog:feed_atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Public post"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/blog/public-post/")
