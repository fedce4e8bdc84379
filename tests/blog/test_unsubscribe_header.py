"""Comment and reply emails carry a List-Unsubscribe header, so mail clients offer their button."""

import pytest
from django.conf import settings
from django.core import mail

from blog import services
from tests.blog.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db(transaction=True)


def list_unsubscribe(message) -> str:
    return message.message()["List-Unsubscribe"]


def test_a_comment_email_names_the_signed_unsubscribe_link_in_its_header(learner):
    post = PostFactory()

    services.add_comment(author=learner, post=post, body="Nice one")

    [message] = mail.outbox
    link = list_unsubscribe(message).removeprefix("<").removesuffix(">")
    assert link.startswith(settings.SITE_URL + "/blog/unsubscribe/")
    assert link in message.body
    assert services.user_for_unsubscribe_token(link.rstrip("/").rsplit("/", 1)[1]) == post.author


def test_a_reply_email_names_the_commenters_unsubscribe_link_in_its_header(learner, other_learner):
    comment = CommentFactory(author=learner)
    mail.outbox.clear()

    services.add_comment(author=other_learner, post=comment.post, body="Agreed", parent=comment)

    [message] = mail.outbox
    link = list_unsubscribe(message).removeprefix("<").removesuffix(">")
    assert link in message.body
    assert services.user_for_unsubscribe_token(link.rstrip("/").rsplit("/", 1)[1]) == learner
