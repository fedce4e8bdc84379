"""htmx works from the valid data-hx-* attributes: a like is one htmx request, no page load."""

from playwright.sync_api import expect

from tests.blog.factories import PostFactory
from tests.e2e.conftest import login
from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_liking_a_post_is_an_htmx_request_with_the_csrf_header(page, base_url):
    post = PostFactory(title="Joins explained")
    UserFactory(email="reader@example.com", display_name="Reader")
    login(page, base_url, "reader@example.com", DEFAULT_PASSWORD, next_url=post.get_absolute_url())
    page.evaluate("window.notReloaded = true")

    with page.expect_request(lambda r: r.method == "POST" and "/like/" in r.url) as caught:
        page.locator("#post-like-button").click()
    expect(page.locator("#post-like-button")).to_contain_text("Liked")

    headers = caught.value.headers
    assert headers.get("hx-request") == "true"  # sent by htmx, read from data-hx-post
    assert headers.get("x-csrftoken")  # from <body data-hx-headers>
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not reloaded
