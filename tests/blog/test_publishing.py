"""Publishing and scheduling posts through the services the admin uses."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blog import services
from tests.blog.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_publishing_a_draft_makes_it_public_now():
    post = PostFactory(status="draft", publish_at=None)
    services.publish_post(post=post)
    post.refresh_from_db()
    assert post.is_public
    assert post.publish_at <= timezone.now()


def test_republishing_keeps_the_original_date():
    first = timezone.now() - timedelta(days=10)
    post = PostFactory(publish_at=first)
    services.unpublish_post(post=post)
    services.publish_post(post=post)
    post.refresh_from_db()
    assert post.publish_at == first


def test_scheduled_post_stays_hidden_until_its_date():
    post = PostFactory(status="draft", publish_at=None)
    services.schedule_post(post=post, at=timezone.now() + timedelta(days=2))
    post.refresh_from_db()
    assert post.status == "scheduled"
    assert not post.is_public


def test_scheduling_in_the_past_is_refused():
    post = PostFactory(status="draft", publish_at=None)
    with pytest.raises(ValidationError, match="in the future"):
        services.schedule_post(post=post, at=timezone.now() - timedelta(minutes=1))
