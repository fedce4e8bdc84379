"""Simultaneous likes are all counted: the count is updated in the database, not in Python."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from blog import services
from blog.models import Post, PostLike
from tests.blog.factories import PostFactory
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_likes_from_different_learners_are_all_counted():
    post = PostFactory()
    users = UserFactory.create_batch(6)

    def like(user):
        try:
            services.toggle_post_like(user=user, post=Post.objects.get(pk=post.pk))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(like, users))
    post.refresh_from_db()
    assert post.like_count == 6
    assert PostLike.objects.filter(post=post).count() == 6
