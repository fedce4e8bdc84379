"""The site sets only essential cookies (no banner needed), each with safe flags.

A visitor's walk through every page type, anonymous and signed in, GET and the main POST
forms: any Set-Cookie other than the session, CSRF and messages cookies (and Django's language
cookie, once languages arrive) fails the test, as do missing HttpOnly/SameSite flags.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.blog.factories import PostFactory
from tests.factories import (
    DEFAULT_PASSWORD,
    CourseFactory,
    LessonFactory,
    SectionFactory,
    UserFactory,
)
from tests.purchases.conftest import stripe_api  # noqa: F401 - fixture: Stripe's API stubbed

pytestmark = pytest.mark.django_db

ESSENTIAL = {
    settings.SESSION_COOKIE_NAME,  # sessionid
    settings.CSRF_COOKIE_NAME,  # csrftoken
    "messages",
    settings.LANGUAGE_COOKIE_NAME,  # django_language
}
HTTPONLY = {settings.SESSION_COOKIE_NAME, "messages"}


def cookie_problems(label: str, cookies: SimpleCookie) -> list[str]:
    problems = []
    for name, morsel in cookies.items():
        if name not in ESSENTIAL:
            problems.append(f"{label}: non-essential cookie {name!r}")
            continue
        if morsel["samesite"] != "Lax":
            problems.append(f"{label}: {name} has SameSite={morsel['samesite']!r}, not Lax")
        # A deletion (empty value, Max-Age=0: Django's delete_cookie) carries nothing to steal.
        deleted = morsel.value == "" and str(morsel["max-age"]) == "0"
        if name in HTTPONLY and not morsel["httponly"] and not deleted:
            problems.append(f"{label}: {name} is not HttpOnly")
    return problems


class Walker:
    """One browser-like client; records every Set-Cookie problem on the way."""

    def __init__(self) -> None:
        self.client = Client()
        self.problems: list[str] = []
        self.seen: set[str] = set()

    def visit(self, method: str, url: str, data: dict | None = None) -> HttpResponse:
        response = getattr(self.client, method)(url, data or {})
        assert response.status_code < 500, f"{method} {url} -> {response.status_code}"
        self.problems += cookie_problems(f"{method.upper()} {url}", response.cookies)
        self.seen |= set(response.cookies)
        return response


@pytest.fixture
def site():
    course = CourseFactory(title="Paid course")
    free = CourseFactory(title="Free course", price_amount=0)
    lesson = LessonFactory(section=SectionFactory(course=free), is_preview=True)
    preview = LessonFactory(section=SectionFactory(course=course), is_preview=True)
    post = PostFactory()
    return {"course": course, "free": free, "lesson": lesson, "preview": preview, "post": post}


def anonymous_pages(site) -> list[str]:
    course, post = site["course"], site["post"]
    return [
        reverse("home"),
        reverse("courses:catalog"),
        reverse("courses:catalog") + "?q=course",
        course.category.get_absolute_url(),
        course.get_absolute_url(),
        reverse("learning:lesson", args=[course.slug, site["preview"].slug]),
        reverse("blog:index"),
        post.get_absolute_url(),
        reverse("blog:feed_rss"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("legal:page", args=["privacy"]),
        reverse("legal:version", args=["terms", 1]),
        reverse("sitemap"),
        reverse("robots_txt"),
        "/no-such-page/",
    ]


def test_anonymous_pages_and_forms_set_only_essential_cookies(site):
    walker = Walker()
    for url in anonymous_pages(site):
        walker.visit("get", url)
    walker.visit("post", reverse("account_login"), {"login": "x@example.com", "password": "no"})
    walker.visit(
        "post",
        reverse("account_signup"),
        {
            "email": "newcomer@example.com",
            "password1": "plums-and-Tangerines-42",
            "password2": "plums-and-Tangerines-42",
            "accept_terms": "on",
        },
    )
    walker.visit("post", reverse("account_reset_password"), {"email": "who@example.com"})
    walker.visit("post", reverse("blog:comment_create", args=[site["post"].slug]), {"body": "Hi"})
    walker.visit("post", reverse("learning:enroll", args=[site["free"].slug]))

    assert walker.problems == []
    assert {"csrftoken", "sessionid"} <= walker.seen  # the walk did reach the cookies


def test_signed_in_pages_and_forms_set_only_essential_cookies(site, stripe_api):  # noqa: F811
    user = UserFactory(email="walker@example.com")
    free, lesson, post = site["free"], site["lesson"], site["post"]
    walker = Walker()
    walker.visit("get", reverse("account_login"))
    walker.visit(
        "post", reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert walker.visit("get", reverse("learning:my_learning")).status_code == 200  # signed in
    for url in anonymous_pages(site):
        walker.visit("get", url)
    walker.visit("post", reverse("learning:enroll", args=[free.slug]))
    for url in [
        reverse("learning:my_learning"),
        reverse("learning:lesson", args=[free.slug, lesson.slug]),
        reverse("purchases:orders"),
        reverse("accounts:profile"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
        reverse("accounts:delete"),
        reverse("ratings:rate", args=[free.slug]),
    ]:
        walker.visit("get", url)
    walker.visit("post", reverse("learning:complete_lesson", args=[free.slug, lesson.slug]))
    walker.visit("post", reverse("ratings:rate", args=[free.slug]), {"stars": "5"})
    walker.visit("post", reverse("blog:comment_create", args=[post.slug]), {"body": "Nice"})
    walker.visit("post", reverse("blog:post_like", args=[post.slug]))
    walker.visit("post", reverse("accounts:profile"), {"display_name": "Walker", "bio": ""})
    walker.visit("post", reverse("purchases:checkout", args=[site["course"].slug]))
    walker.visit("post", reverse("account_logout"))

    assert walker.problems == []
    assert {"csrftoken", "sessionid", "messages"} <= walker.seen


def test_session_cookie_is_httponly_and_samesite_lax_after_login(client):
    user = UserFactory()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )

    morsel = response.cookies[settings.SESSION_COOKIE_NAME]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"


def test_the_check_reports_a_tracking_cookie_and_weak_flags():
    cookies = SimpleCookie()
    cookies["_ga"] = "GA1.1.1"
    cookies["sessionid"] = "abc"
    cookies["sessionid"]["samesite"] = "None"

    problems = cookie_problems("GET /", cookies)

    assert "GET /: non-essential cookie '_ga'" in problems
    assert "GET /: sessionid has SameSite='None', not Lax" in problems
    assert "GET /: sessionid is not HttpOnly" in problems


def test_deleting_a_cookie_needs_no_httponly_flag():
    response = HttpResponse()
    response.delete_cookie("messages", samesite="Lax")

    assert cookie_problems("GET /", response.cookies) == []
