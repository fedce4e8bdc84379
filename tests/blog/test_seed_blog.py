import io

import pytest
from django.core.management import call_command

from blog.models import Post

pytestmark = pytest.mark.django_db


def test_seed_blog_creates_published_posts_and_a_draft_once():
    call_command("seed_blog", stdout=io.StringIO())
    call_command("seed_blog", stdout=io.StringIO())
    assert Post.objects.count() == 4
    assert Post.objects.public().count() == 3
    assert Post.objects.filter(status="draft").count() == 1


def test_bootstrap_demo_loads_the_demo_blog_on_an_empty_site():
    call_command("bootstrap_demo", stdout=io.StringIO())
    assert Post.objects.public().count() == 3
