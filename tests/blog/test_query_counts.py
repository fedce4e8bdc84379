"""The blog pages run the same number of queries for few or many posts and comments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog import services
from tests.blog.factories import CommentFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [3, 30])
def test_index_query_count_does_not_grow_with_posts(client, django_assert_num_queries, size):
    tags = [TagFactory(), TagFactory()]
    PostFactory.create_batch(size, tags=tags)
    # count, page of posts with authors, their tags
    with django_assert_num_queries(3):
        client.get(reverse("blog:index"))


@pytest.mark.parametrize("size", [3, 30])
def test_tag_page_query_count_does_not_grow_with_posts(client, django_assert_num_queries, size):
    tag = TagFactory()
    PostFactory.create_batch(size, tags=[tag])
    with django_assert_num_queries(4):
        client.get(reverse("blog:tag", args=[tag.slug]))


def _post_with_comments(size: int, liker):
    post = PostFactory(tags=[TagFactory()])
    PostFactory()  # a neighbour
    for _ in range(size):
        top = CommentFactory(post=post)
        reply = CommentFactory(post=post, parent=top)
        services.toggle_comment_like(user=liker, comment=reply)
    return post


@pytest.mark.parametrize("size", [3, 30])
def test_post_page_query_count_does_not_grow_with_comments(
    client, django_assert_num_queries, staff, size
):
    post = _post_with_comments(size, staff)
    # post, tags, comments with authors, previous, next
    with django_assert_num_queries(5):
        client.get(post.get_absolute_url())


def test_post_page_for_a_logged_in_learner_has_flat_query_count(client, learner):
    small = _post_with_comments(3, learner)
    large = _post_with_comments(30, learner)
    client.force_login(learner)
    client.get(small.get_absolute_url())  # the session and user are cached after this
    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, large.get_absolute_url()
    )
