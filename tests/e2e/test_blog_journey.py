"""A learner comments on a post, replies, likes, and deletes the reply, in a real browser."""

import re

from playwright.sync_api import expect

from blog.models import Comment
from tests.blog.factories import PostFactory
from tests.e2e.conftest import login
from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_learner_writes_replies_to_and_deletes_a_comment(page, base_url, shoot):
    post = PostFactory(title="Learning SQL in a week", body="Start with **SELECT**. " * 50)
    UserFactory(email="reader@example.com", display_name="Reader")

    login(page, base_url, "reader@example.com", DEFAULT_PASSWORD, next_url=post.get_absolute_url())
    expect(page).to_have_url(re.compile(re.escape(post.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning SQL in a week")
    shoot("blog-post")

    page.get_by_label("Your comment").fill("Great read, *thanks*!")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Comment posted.")).to_be_visible()
    comment = Comment.objects.get(parent=None)
    thread = page.locator(f"#comment-{comment.pk}")
    expect(thread.locator(".comment-body").first).to_contain_text("Great read, thanks!")

    like = page.locator(f"#comment-like-button-{comment.pk}")
    like.click()
    expect(like).to_contain_text("Liked")
    expect(like).to_contain_text("(1")

    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply").fill("Also: try the exercises.")
    thread.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Reply posted.")).to_be_visible()
    reply = Comment.objects.get(parent=comment)
    expect(page.locator(f"#comment-{reply.pk}")).to_contain_text("Also: try the exercises.")
    shoot("blog-comment-thread")

    page.locator(f"#comment-{reply.pk}").get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your comment?")
    shoot("blog-delete-reply")
    page.get_by_role("button", name="Delete comment").click()

    expect(page.get_by_text("Your comment was deleted.")).to_be_visible()
    expect(page.locator(f"#comment-{reply.pk}")).to_have_count(0)
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Great read")
    expect(page.get_by_role("heading", name="Comments (1)")).to_be_visible()
    shoot("blog-after-delete")
