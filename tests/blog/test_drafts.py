"""Drafts are never public, even a draft whose publish date has passed (an unpublished post).

The other blog tests make drafts without a date; here the date is in the past, so only the
status keeps the post hidden: from the index, tag pages, its own URL, the feeds, the sitemap and
the previous/next links of its neighbours. (The blog has no search; the site search covers
courses only.)
"""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog import services
from tests.blog.factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def tag():
    return TagFactory(name="SQL", slug="sql")


@pytest.fixture
def dated_draft(tag):
    return PostFactory(
        title="Secret plans",
        slug="secret-plans",
        status="draft",
        publish_at=timezone.now() - timedelta(days=2),
        tags=[tag],
    )


@pytest.fixture
def neighbours(tag):
    """Public posts published before and after the draft's date."""
    now = timezone.now()
    older = PostFactory(title="Older post", publish_at=now - timedelta(days=3), tags=[tag])
    newer = PostFactory(title="Newer post", publish_at=now - timedelta(days=1), tags=[tag])
    return older, newer


def test_dated_draft_is_not_on_the_index(client, dated_draft, neighbours, learner):
    assert "Secret plans" not in client.get(reverse("blog:index")).text
    client.force_login(learner)
    assert "Secret plans" not in client.get(reverse("blog:index")).text


def test_dated_draft_is_not_on_its_tag_page(client, dated_draft, neighbours, tag):
    response = client.get(tag.get_absolute_url())
    assert "Older post" in response.text
    assert "Secret plans" not in response.text


def test_dated_draft_is_404_at_its_url(client, dated_draft, learner):
    assert client.get(dated_draft.get_absolute_url()).status_code == 404
    client.force_login(learner)
    assert client.get(dated_draft.get_absolute_url()).status_code == 404


def test_dated_draft_is_not_in_the_rss_feed(client, dated_draft, neighbours):
    root = ET.fromstring(client.get(reverse("blog:feed_rss")).content)  # noqa: S314 - ours
    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles == ["Newer post", "Older post"]


def test_dated_draft_is_not_in_the_atom_feed(client, dated_draft, neighbours):
    root = ET.fromstring(client.get(reverse("blog:feed_atom")).content)  # noqa: S314 - ours
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert titles == ["Newer post", "Older post"]


def test_dated_draft_is_not_in_the_sitemap(client, dated_draft, neighbours):
    root = ET.fromstring(client.get(reverse("sitemap")).content)  # noqa: S314 - ours
    locations = [url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")]
    assert any(loc.endswith(neighbours[0].get_absolute_url()) for loc in locations)
    assert not any("secret-plans" in loc for loc in locations)


def test_neighbours_link_past_the_dated_draft(client, dated_draft, neighbours):
    older, newer = neighbours
    response = client.get(older.get_absolute_url())
    assert response.context["page"].next_post == newer
    assert dated_draft.get_absolute_url() not in response.text


def test_unpublished_post_leaves_every_public_place_at_once(client, tag):
    """Unpublishing keeps the publish date; pages cached while it was public must not keep it."""
    post = PostFactory(title="Second thoughts", slug="second-thoughts", tags=[tag])
    assert client.get(post.get_absolute_url()).status_code == 200
    assert "Second thoughts" in client.get(reverse("blog:index")).text  # now cached

    services.unpublish_post(post=post)
    post.refresh_from_db()

    assert post.status == "draft" and post.publish_at is not None
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Second thoughts" not in client.get(reverse("blog:index")).text
    assert "Second thoughts" not in client.get(tag.get_absolute_url()).text
    assert b"second-thoughts" not in client.get(reverse("blog:feed_rss")).content
    assert b"second-thoughts" not in client.get(reverse("sitemap")).content
