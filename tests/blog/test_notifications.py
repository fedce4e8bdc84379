"""Emails about comments and replies, and the signed unsubscribe link."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from blog import services
from blog.models import NotificationSettings
from tests.blog.factories import CommentFactory, PostFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def unsubscribe_link(message) -> str:
    return re.search(r"https?://\S+/blog/unsubscribe/\S+/", message.body).group(0)


def test_post_author_is_emailed_about_a_new_comment(learner):
    author = UserFactory(email="writer@example.com", is_staff=True)
    post = PostFactory(author=author, title="On SQL")
    services.add_comment(author=learner, post=post, body="Nice one")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["writer@example.com"]
    assert "Alice commented on “On SQL”" in message.subject
    assert "Nice one" in message.body
    assert settings.SITE_URL + post.get_absolute_url() in message.body


def test_commenter_is_emailed_about_a_reply(learner, other_learner):
    comment = CommentFactory(author=learner)
    mail.outbox.clear()
    services.add_comment(author=other_learner, post=comment.post, body="I agree", parent=comment)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "Bob replied to your comment" in mail.outbox[0].subject


def test_nobody_is_emailed_about_their_own_reply(learner):
    comment = CommentFactory(author=learner)
    mail.outbox.clear()
    services.add_comment(author=learner, post=comment.post, body="PS", parent=comment)
    assert mail.outbox == []


def test_post_author_commenting_on_own_post_gets_no_email():
    post = PostFactory()
    services.add_comment(author=post.author, post=post, body="Welcome")
    assert mail.outbox == []


def test_no_email_after_unsubscribing(learner, other_learner):
    comment = CommentFactory(author=learner)
    services.set_comment_emails(user=learner, enabled=False)
    mail.outbox.clear()
    services.add_comment(author=other_learner, post=comment.post, body="Hey", parent=comment)
    assert mail.outbox == []


def test_emails_carry_an_absolute_unsubscribe_link(learner):
    post = PostFactory()
    services.add_comment(author=learner, post=post, body="Hi")
    link = unsubscribe_link(mail.outbox[0])
    assert link.startswith(settings.SITE_URL)
    html = mail.outbox[0].alternatives[0][0]
    assert link in html


def test_unsubscribe_link_works_without_logging_in(client, learner, other_learner):
    comment = CommentFactory(author=learner)
    mail.outbox.clear()
    services.add_comment(author=other_learner, post=comment.post, body="Hey", parent=comment)
    path = unsubscribe_link(mail.outbox[0]).removeprefix(settings.SITE_URL)
    page = client.get(path)
    assert page.status_code == 200
    assert "Unsubscribe from blog emails" in page.text
    response = client.post(path, {"action": "unsubscribe"})
    assert "You are unsubscribed" in response.text
    assert NotificationSettings.objects.get(user=learner).comment_emails is False


def test_visiting_the_unsubscribe_link_alone_changes_nothing(client, learner):
    client.get(reverse("blog:unsubscribe", args=[services.unsubscribe_token(learner)]))
    assert services.wants_comment_emails(learner)


def test_unsubscribed_user_can_turn_emails_back_on(client, learner):
    services.set_comment_emails(user=learner, enabled=False)
    url = reverse("blog:unsubscribe", args=[services.unsubscribe_token(learner)])
    response = client.post(url, {"action": "resubscribe"})
    assert "You will get emails about comments and replies again." in response.text
    assert services.wants_comment_emails(learner)


def test_tampered_unsubscribe_link_is_a_400_page(client, learner):
    token = services.unsubscribe_token(learner)
    response = client.get(reverse("blog:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "This link is not valid" in response.text
    assert client.post(reverse("blog:unsubscribe", args=["junk"])).status_code == 400
    assert services.wants_comment_emails(learner)


def test_comment_text_is_escaped_in_the_html_email(learner):
    post = PostFactory()
    services.add_comment(author=learner, post=post, body="<script>alert(1)</script>")
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
