"""Staff write posts and moderate comments in the Django admin."""

import pytest
from django.urls import reverse

from blog.models import Post
from tests.blog.factories import CommentFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_new_post_defaults_to_its_creator_as_author(client, staff):
    tag = TagFactory()
    client.force_login(staff)
    response = client.post(
        reverse("admin:blog_post_add"),
        {
            "title": "Admin post",
            "slug": "admin-post",
            "excerpt": "",
            "body": "Text",
            "status": "published",
            "publish_at_0": "",
            "publish_at_1": "",
            "author": "",
            "tags": [tag.pk],
            "cover_alt": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get(slug="admin-post")
    assert post.author == staff
    assert post.publish_at is not None
    assert post.is_public


def test_scheduled_post_without_a_date_is_refused_in_the_admin(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:blog_post_add"),
        {"title": "Later", "slug": "later", "body": "Text", "status": "scheduled"},
    )
    assert response.status_code == 200
    assert "A scheduled post needs a publish date." in response.text
    assert not Post.objects.exists()


def test_admin_changelist_and_forms_render(client, staff):
    post = PostFactory()
    comment = CommentFactory(post=post)
    client.force_login(staff)
    for url in (
        reverse("admin:blog_post_changelist"),
        reverse("admin:blog_post_change", args=[post.pk]),
        reverse("admin:blog_comment_changelist"),
        reverse("admin:blog_comment_change", args=[comment.pk]),
        reverse("admin:blog_tag_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def test_admin_remove_and_restore_actions_moderate_comments(client, staff):
    comment = CommentFactory()
    client.force_login(staff)
    url = reverse("admin:blog_comment_changelist")
    client.post(url, {"action": "remove", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.is_removed
    assert comment.removed_by == staff
    client.post(url, {"action": "restore", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert not comment.is_removed


def test_admin_publish_action_publishes_drafts(client, staff):
    post = PostFactory(status="draft", publish_at=None)
    client.force_login(staff)
    client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish_now", "_selected_action": [post.pk]},
    )
    post.refresh_from_db()
    assert post.is_public
