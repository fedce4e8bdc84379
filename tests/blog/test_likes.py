"""Likes on posts and comments: one per user, toggled by a POST, enhanced by htmx."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blog import services
from blog.models import CommentLike, PostLike
from tests.blog.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_liking_a_post_redirects_back_to_the_like_button(client, learner):
    post = PostFactory()
    client.force_login(learner)
    response = client.post(reverse("blog:post_like", args=[post.slug]))
    assert response.url == post.get_absolute_url() + "#post-like"
    post.refresh_from_db()
    assert post.like_count == 1


def test_liking_twice_unlikes(client, learner):
    post = PostFactory()
    client.force_login(learner)
    url = reverse("blog:post_like", args=[post.slug])
    client.post(url)
    client.post(url)
    post.refresh_from_db()
    assert post.like_count == 0
    assert not PostLike.objects.exists()


def test_likes_from_two_learners_are_counted(learner, other_learner):
    post = PostFactory()
    services.toggle_post_like(user=learner, post=post)
    liked, count = services.toggle_post_like(user=other_learner, post=post)
    assert liked is True
    assert count == 2


def test_post_page_shows_the_count_and_the_pressed_state(client, learner, other_learner):
    post = PostFactory()
    services.toggle_post_like(user=other_learner, post=post)
    services.toggle_post_like(user=learner, post=post)
    client.force_login(learner)
    text = client.get(post.get_absolute_url()).text
    assert 'id="post-like-button"' in text
    assert 'aria-pressed="true"' in text
    assert "(2<span" in text


def test_htmx_like_returns_only_the_button_with_the_new_count(client, learner):
    post = PostFactory()
    client.force_login(learner)
    response = client.post(reverse("blog:post_like", args=[post.slug]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<button type="submit" id="post-like-button"')
    assert "Liked" in response.text
    assert "(1<span" in response.text
    assert "<html" not in response.text


def test_anonymous_visitor_is_asked_to_log_in_to_like(client):
    post = PostFactory()
    response = client.post(reverse("blog:post_like", args=[post.slug]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "Log in to like this post" in client.get(post.get_absolute_url()).text


def test_draft_post_cannot_be_liked(client, learner):
    post = PostFactory(status="draft", publish_at=None)
    client.force_login(learner)
    assert client.post(reverse("blog:post_like", args=[post.slug])).status_code == 404


def test_like_needs_a_post_request(client, learner):
    post = PostFactory()
    client.force_login(learner)
    assert client.get(reverse("blog:post_like", args=[post.slug])).status_code == 405


def test_comment_like_toggles_once_per_user(client, learner):
    comment = CommentFactory()
    client.force_login(learner)
    url = reverse("blog:comment_like", args=[comment.pk])
    response = client.post(url)
    assert response.url.endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.like_count == 1
    client.post(url)
    comment.refresh_from_db()
    assert comment.like_count == 0
    assert not CommentLike.objects.exists()


def test_htmx_comment_like_returns_only_its_button(client, learner):
    comment = CommentFactory()
    client.force_login(learner)
    response = client.post(reverse("blog:comment_like", args=[comment.pk]), HTTP_HX_REQUEST="true")
    assert f'id="comment-like-button-{comment.pk}"' in response.text
    assert "(1<span" in response.text
    assert "<html" not in response.text


def test_removed_comment_cannot_be_liked(learner, staff):
    comment = CommentFactory()
    services.remove_comment(comment=comment, by=staff)
    with pytest.raises(ValidationError):
        services.toggle_comment_like(user=learner, comment=comment)


def test_htmx_like_from_a_logged_out_visitor_sends_the_whole_page_to_login(client):
    post = PostFactory()
    response = client.post(reverse("blog:post_like", args=[post.slug]), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("account_login"))
