"""Who sees which post, and what the index and post pages show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.blog.factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_published_post_is_readable_by_anyone(client):
    post = PostFactory(title="Hello data", body="Read **this**.")
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Hello data" in response.text
    assert "<strong>this</strong>" in response.text


def test_draft_post_is_404_to_the_public(client, learner):
    post = PostFactory(status="draft", publish_at=None)
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(learner)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_scheduled_post_is_404_until_its_publish_date(client):
    post = PostFactory(status="scheduled", publish_at=timezone.now() + timedelta(days=1))
    assert client.get(post.get_absolute_url()).status_code == 404


def test_scheduled_post_appears_once_its_date_has_passed(client):
    post = PostFactory(status="scheduled", publish_at=timezone.now() - timedelta(minutes=1))
    assert client.get(post.get_absolute_url()).status_code == 200


def test_published_post_with_a_future_date_is_hidden(client):
    post = PostFactory(publish_at=timezone.now() + timedelta(days=1))
    assert client.get(post.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft(client, staff):
    post = PostFactory(status="draft", publish_at=None, title="Secret plans")
    client.force_login(staff)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this post is draft" in response.text


def test_post_body_is_sanitised(client):
    post = PostFactory(body="Hi <script>alert(1)</script> [x](javascript:alert(2))")
    response = client.get(post.get_absolute_url())
    assert "<script>alert(1)" not in response.text
    assert "javascript:alert" not in response.text


def test_post_page_shows_reading_time_from_word_count(client):
    post = PostFactory(body=" ".join(["word"] * 401))
    response = client.get(post.get_absolute_url())
    assert "3 min read" in response.text


def test_post_page_links_previous_and_next_posts(client):
    now = timezone.now()
    older = PostFactory(title="Older one", publish_at=now - timedelta(days=3))
    middle = PostFactory(title="Middle one", publish_at=now - timedelta(days=2))
    PostFactory(title="Newer draft", status="draft", publish_at=None)
    newer = PostFactory(title="Newer one", publish_at=now - timedelta(days=1))
    response = client.get(middle.get_absolute_url())
    assert response.context["page"].previous_post == older
    assert response.context["page"].next_post == newer
    assert f'href="{older.get_absolute_url()}"' in response.text


def test_index_lists_only_public_posts_newest_first(client):
    now = timezone.now()
    PostFactory(title="First post", publish_at=now - timedelta(days=2))
    PostFactory(title="Second post", publish_at=now - timedelta(days=1))
    PostFactory(title="Draft post", status="draft", publish_at=None)
    PostFactory(title="Future post", status="scheduled", publish_at=now + timedelta(days=1))
    response = client.get(reverse("blog:index"))
    text = response.text
    assert text.index("Second post") < text.index("First post")
    assert "Draft post" not in text
    assert "Future post" not in text


def test_index_paginates_ten_posts_a_page(client):
    PostFactory.create_batch(12)
    first = client.get(reverse("blog:index"))
    second = client.get(reverse("blog:index"), {"page": 2})
    assert len(first.context["page_obj"].object_list) == 10
    assert len(second.context["page_obj"].object_list) == 2
    assert "Page 1 of 2" in first.text


def test_index_with_a_nonsense_page_number_shows_a_page(client):
    PostFactory()
    assert client.get(reverse("blog:index"), {"page": "abc"}).status_code == 200


def test_tag_page_lists_only_posts_with_that_tag(client):
    sql = TagFactory(name="SQL", slug="sql")
    PostFactory(title="About SQL", tags=[sql])
    PostFactory(title="About Python")
    response = client.get(reverse("blog:tag", args=["sql"]))
    assert "About SQL" in response.text
    assert "About Python" not in response.text


def test_unknown_tag_is_404(client):
    assert client.get(reverse("blog:tag", args=["nope"])).status_code == 404


def test_blog_pages_link_their_feeds_in_the_head(client):
    post = PostFactory()
    for url in (reverse("blog:index"), post.get_absolute_url()):
        head = client.get(url).text.split("</head>")[0]
        rss = reverse("blog:feed_rss")
        assert 'rel="alternate" type="application/rss+xml" title="Data School blog (RSS)" ' in head
        assert f'href="{rss}"' in head
        assert f'href="{reverse("blog:feed_atom")}"' in head


def test_edited_post_body_shows_at_once_despite_caching(client):
    post = PostFactory(body="First version")
    assert "First version" in client.get(post.get_absolute_url()).text
    post.body = "Second version"
    post.save()
    assert "Second version" in client.get(post.get_absolute_url()).text
