"""Anonymous blog pages come from the shared cache, each visitor with their own CSRF token,
and never outlive an edit, a comment, a like or a scheduled post's publish time."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog import services
from core.page_cache import CSRF_PLACEHOLDER
from tests.blog.factories import PostFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]+)"')


def index_html(client) -> str:
    return client.get(reverse("blog:index")).content.decode()


def post_html(client, post) -> str:
    return client.get(post.get_absolute_url()).content.decode()


def test_anonymous_blog_index_is_served_from_the_cache(client, django_assert_num_queries):
    PostFactory(title="Cached post")
    index_html(client)
    with django_assert_num_queries(0):
        assert "Cached post" in index_html(client)


def test_anonymous_post_page_is_served_from_the_cache(client, django_assert_num_queries):
    post = PostFactory(title="Cached post")
    post_html(client, post)
    with django_assert_num_queries(0):
        assert "Cached post" in post_html(client, post)


def test_each_visitor_of_a_cached_post_page_gets_their_own_csrf_token():
    post = PostFactory()
    first, second = Client(), Client()
    first_html, second_html = post_html(first, post), post_html(second, post)
    assert CSRF_PLACEHOLDER not in second_html
    assert TOKEN.search(first_html).group(1) != TOKEN.search(second_html).group(1)


def test_a_new_post_is_on_the_cached_index_at_once(client, django_capture_on_commit_callbacks):
    PostFactory(title="First post")
    index_html(client)
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(title="Second post")
    assert "Second post" in index_html(client)


def test_an_edited_post_is_never_stale(client, django_capture_on_commit_callbacks):
    post = PostFactory(title="Old title")
    assert "Old title" in post_html(client, post)
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "New title"
        post.save()
    html = post_html(client, post)
    assert "New title" in html
    assert "Old title" not in html


def test_a_new_comment_shows_on_the_cached_post_page_at_once(
    client, learner, django_capture_on_commit_callbacks
):
    post = PostFactory()
    post_html(client, post)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(author=learner, post=post, body="A very fresh comment")
    assert "A very fresh comment" in post_html(client, post)


def test_a_scheduled_post_appears_on_the_cached_index_when_its_time_comes(client):
    PostFactory(title="Now")
    PostFactory(title="Later", status="scheduled", publish_at=timezone.now() + timedelta(hours=1))
    assert "Later" not in index_html(client)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2)):
        assert "Later" in index_html(client)


def test_signed_in_reader_never_gets_the_cached_anonymous_page(client, learner):
    post = PostFactory()
    post_html(Client(), post)  # an anonymous visit stores the page
    client.force_login(learner)
    assert learner.public_name in post_html(client, post)


def test_a_readers_page_is_never_stored_for_anonymous_visitors(client, learner):
    post = PostFactory()
    client.force_login(learner)
    post_html(client, post)
    assert learner.public_name not in post_html(Client(), post)
