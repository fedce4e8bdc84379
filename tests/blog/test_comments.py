"""Writing, replying to, editing and deleting comments; the rate limit; staff moderation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from blog import services
from blog.models import Comment
from tests.blog.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def comment_url(post):
    return reverse("blog:comment_create", args=[post.slug])


def test_learner_posts_a_comment_and_sees_it_on_the_post(client, learner):
    post = PostFactory()
    client.force_login(learner)
    response = client.post(comment_url(post), {"body": "Great *article*"}, follow=True)
    comment = Comment.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    assert "Great <em>article</em>" in response.text
    assert "Alice" in response.text


def test_script_in_a_comment_is_neutralised(client, learner):
    post = PostFactory()
    client.force_login(learner)
    body = '<script>alert("x")</script> <img src=x onerror=alert(1)> [a](javascript:alert(3))'
    response = client.post(comment_url(post), {"body": body}, follow=True)
    assert "<script>alert" not in response.text
    assert "onerror" not in response.text
    assert "javascript:alert" not in response.text


def test_anonymous_visitor_is_sent_to_log_in_and_nothing_is_saved(client):
    post = PostFactory()
    response = client.post(comment_url(post), {"body": "Hello"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Comment.objects.exists()


def test_text_written_before_logging_in_is_kept_in_the_form(client, learner):
    post = PostFactory()
    client.post(comment_url(post), {"body": "My unsaved thoughts"})
    client.force_login(learner)
    response = client.get(post.get_absolute_url())
    assert "My unsaved thoughts</textarea>" in response.text


def test_empty_comment_gives_a_form_error(client, learner):
    post = PostFactory()
    client.force_login(learner)
    response = client.post(comment_url(post), {"body": "   "})
    assert response.status_code == 400
    assert "Write something before posting." in response.text
    assert not Comment.objects.exists()


def test_too_long_comment_gives_a_form_error_and_keeps_the_text(client, learner):
    post = PostFactory()
    client.force_login(learner)
    response = client.post(comment_url(post), {"body": "x" * 5001})
    assert response.status_code == 400
    assert "at most 5000 characters" in response.text
    assert "x" * 5001 in response.text
    assert not Comment.objects.exists()


def test_cannot_comment_on_a_draft(client, learner):
    post = PostFactory(status="draft", publish_at=None)
    client.force_login(learner)
    assert client.post(comment_url(post), {"body": "Hi"}).status_code == 404
    assert not Comment.objects.exists()


def test_reply_is_shown_under_its_comment(client, learner, other_learner):
    comment = CommentFactory(author=other_learner, body="Top comment")
    client.force_login(learner)
    response = client.post(
        comment_url(comment.post), {"body": "My reply", "parent": comment.pk}, follow=True
    )
    reply = Comment.objects.get(parent=comment)
    assert reply.body == "My reply"
    top = response.context["page"].comments
    assert [c.pk for c in top] == [comment.pk]
    assert [r.pk for r in top[0].thread_replies] == [reply.pk]


def test_reply_to_a_reply_joins_the_top_level_thread(learner, other_learner):
    top = CommentFactory(author=other_learner)
    reply = CommentFactory(post=top.post, parent=top, author=learner)
    nested = services.add_comment(author=other_learner, post=top.post, body="Hi", parent=reply)
    assert nested.parent == top


def test_reply_to_a_comment_on_another_post_is_refused(client, learner):
    elsewhere = CommentFactory()
    post = PostFactory()
    client.force_login(learner)
    response = client.post(comment_url(post), {"body": "Hi", "parent": elsewhere.pk}, follow=True)
    assert "The comment you replied to no longer exists." in response.text
    assert Comment.objects.count() == 1


def test_empty_reply_shows_its_error_in_the_open_reply_form(client, learner):
    comment = CommentFactory()
    client.force_login(learner)
    response = client.post(comment_url(comment.post), {"body": "", "parent": comment.pk})
    assert response.status_code == 400
    assert "Write something before posting." in response.text
    assert '<details class="reply-box" open>' in response.text


def test_sixth_comment_within_a_minute_is_refused_with_a_message(client, learner):
    post = PostFactory()
    client.force_login(learner)
    for n in range(5):
        client.post(comment_url(post), {"body": f"Comment {n}"})
    response = client.post(comment_url(post), {"body": "One too many"})
    assert response.status_code == 400
    assert "You are commenting too quickly" in response.text
    assert Comment.objects.count() == 5


def test_rate_limit_is_per_user(learner, other_learner):
    post = PostFactory()
    for n in range(5):
        services.add_comment(author=learner, post=post, body=f"c{n}")
    services.add_comment(author=other_learner, post=post, body="mine")
    with pytest.raises(ValidationError):
        services.add_comment(author=learner, post=post, body="again")


def test_author_edits_own_comment(client, learner):
    comment = CommentFactory(author=learner, body="Old text")
    client.force_login(learner)
    response = client.post(
        reverse("blog:comment_edit", args=[comment.pk]), {"body": "New text"}, follow=True
    )
    comment.refresh_from_db()
    assert comment.body == "New text"
    assert comment.edited_at is not None
    assert "(edited)" in response.text


def test_other_learner_cannot_edit_a_comment(client, learner, other_learner):
    comment = CommentFactory(author=learner, body="Mine")
    client.force_login(other_learner)
    url = reverse("blog:comment_edit", args=[comment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Hacked"}).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Mine"


def test_anonymous_visitor_cannot_edit_a_comment(client):
    comment = CommentFactory()
    response = client.get(reverse("blog:comment_edit", args=[comment.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_editing_to_empty_text_gives_a_form_error(client, learner):
    comment = CommentFactory(author=learner, body="Keep me")
    client.force_login(learner)
    response = client.post(reverse("blog:comment_edit", args=[comment.pk]), {"body": ""})
    assert response.status_code == 400
    assert "Write something before posting." in response.text


def test_edit_and_delete_links_show_only_on_own_comments(client, learner, other_learner):
    mine = CommentFactory(author=learner)
    theirs = CommentFactory(post=mine.post, author=other_learner)
    client.force_login(learner)
    text = client.get(mine.post.get_absolute_url()).text
    assert reverse("blog:comment_edit", args=[mine.pk]) in text
    assert reverse("blog:comment_edit", args=[theirs.pk]) not in text
    assert reverse("blog:comment_delete", args=[theirs.pk]) not in text


def test_author_deletes_own_comment_without_replies(client, learner):
    comment = CommentFactory(author=learner, body="Oops")
    client.force_login(learner)
    response = client.post(reverse("blog:comment_delete", args=[comment.pk]), follow=True)
    assert not Comment.objects.exists()
    assert "Your comment was deleted." in response.text
    assert "Oops" not in response.text


def test_deleting_a_comment_with_replies_keeps_a_placeholder(client, learner, other_learner):
    comment = CommentFactory(author=learner, body="Original words")
    CommentFactory(post=comment.post, parent=comment, author=other_learner, body="A reply")
    client.force_login(learner)
    response = client.post(reverse("blog:comment_delete", args=[comment.pk]), follow=True)
    comment.refresh_from_db()
    assert comment.is_removed
    assert comment.body == ""
    assert "[comment deleted]" in response.text
    assert "A reply" in response.text


def test_other_learner_cannot_delete_a_comment(client, learner, other_learner):
    comment = CommentFactory(author=learner)
    client.force_login(other_learner)
    assert client.post(reverse("blog:comment_delete", args=[comment.pk])).status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_delete_service_refuses_someone_elses_comment(learner, other_learner):
    comment = CommentFactory(author=learner)
    with pytest.raises(PermissionDenied):
        services.delete_comment(comment=comment, user=other_learner)


def test_staff_removes_a_comment_and_everyone_sees_the_placeholder(client, staff, learner):
    comment = CommentFactory(author=learner, body="Rude words")
    reply = CommentFactory(post=comment.post, parent=comment, body="Calm reply")
    client.force_login(staff)
    client.post(reverse("blog:comment_remove", args=[comment.pk]))
    client.logout()
    text = client.get(comment.post.get_absolute_url()).text
    assert "[comment removed]" in text
    assert "Rude words" not in text
    assert reply.body in text


def test_staff_restores_a_removed_comment(client, staff):
    comment = CommentFactory(body="Fine after all")
    services.remove_comment(comment=comment, by=staff)
    client.force_login(staff)
    client.post(reverse("blog:comment_restore", args=[comment.pk]))
    client.logout()
    text = client.get(comment.post.get_absolute_url()).text
    assert "Fine after all" in text
    assert "[comment removed]" not in text


def test_learner_cannot_remove_or_restore_comments(client, learner):
    comment = CommentFactory()
    client.force_login(learner)
    assert client.post(reverse("blog:comment_remove", args=[comment.pk])).status_code == 403
    assert client.post(reverse("blog:comment_restore", args=[comment.pk])).status_code == 403
    comment.refresh_from_db()
    assert not comment.is_removed


def test_anonymous_visitor_cannot_remove_comments(client):
    comment = CommentFactory()
    response = client.post(reverse("blog:comment_remove", args=[comment.pk]))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert not comment.is_removed


def test_a_comment_deleted_by_its_author_cannot_be_restored(learner, other_learner, staff):
    comment = CommentFactory(author=learner)
    CommentFactory(post=comment.post, parent=comment, author=other_learner)
    services.delete_comment(comment=comment, user=learner)
    with pytest.raises(ValidationError):
        services.restore_comment(comment=comment, by=staff)


def test_removed_comment_cannot_be_replied_to(learner, staff):
    comment = CommentFactory()
    services.remove_comment(comment=comment, by=staff)
    with pytest.raises(ValidationError):
        services.add_comment(author=learner, post=comment.post, body="Hi", parent=comment)


def test_comments_close_on_a_post_scheduled_for_later(learner):
    post = PostFactory(status="scheduled", publish_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.add_comment(author=learner, post=post, body="Early")


def test_comments_of_a_deleted_account_stay_as_former_member(client, learner, other_learner):
    comment = CommentFactory(author=learner, body="Still useful")
    CommentFactory(post=comment.post, parent=comment, author=other_learner, body="Agreed")
    learner.delete()
    text = client.get(comment.post.get_absolute_url()).text
    assert "Former member" in text
    assert "Still useful" in text
    assert "Agreed" in text
    assert reverse("blog:comment_edit", args=[comment.pk]) not in text


def test_tampered_reply_target_gives_a_message_not_an_error(client, learner):
    post = PostFactory()
    client.force_login(learner)
    response = client.post(
        comment_url(post), {"body": "Hi", "parent": "99999999999999999999999"}, follow=True
    )
    assert response.status_code == 200
    assert "The comment you replied to no longer exists." in response.text


def test_staff_can_still_read_a_removed_comment_but_learners_cannot(client, staff, learner):
    comment = CommentFactory(body="Borderline words")
    services.remove_comment(comment=comment, by=staff)
    client.force_login(learner)
    assert "Borderline words" not in client.get(comment.post.get_absolute_url()).text
    client.force_login(staff)
    text = client.get(comment.post.get_absolute_url()).text
    assert "Show removed text (staff)" in text
    assert "Borderline words" in text
