"""The Content-Security-Policy breaks nothing: key pages, htmx and the admin report no
violation in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.blog.factories import PostFactory
from tests.factories import (
    DEFAULT_PASSWORD,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    SectionFactory,
    UserFactory,
)


@pytest.fixture
def violations(page):
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_pages_htmx_and_admin_run_under_the_policy(page, base_url, shoot, violations):
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    course = CourseFactory(title="Pandas in practice", slug="pandas")
    section = SectionFactory(course=course)
    LessonFactory(section=section, slug="intro", title="Intro")
    LessonFactory(
        section=section,
        slug="video",
        title="Video",
        kind="video",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    EnrollmentFactory(user=staff, course=course)
    post = PostFactory(title="Hello")

    page.goto(f"{base_url}/accounts/login/?next=/courses/my-learning/")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(f"{base_url}/courses/my-learning/")
    for path in [
        "/",
        "/courses/?q=pandas",
        course.get_absolute_url(),
        "/courses/pandas/lessons/video/",
        "/courses/pandas/list/",
        "/accounts/2fa/totp/activate/",
        "/admin/courses/course/add/",
        "/admin/purchases/order/sales/",
    ]:
        page.goto(base_url + path)
        page.wait_for_load_state("load")
    shoot("csp-admin")

    page.goto(base_url + "/courses/pandas/lessons/intro/")
    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_role("button", name="Mark as not complete")).to_be_visible()
    page.goto(base_url + post.get_absolute_url())
    page.locator("#post-like-button").click()
    expect(page.locator("#post-like-button")).to_have_attribute("aria-pressed", "true")
    shoot("csp-post")
    assert violations == []
