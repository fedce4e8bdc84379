"""Security headers under production-like settings, the Content-Security-Policy, user text
shown as text, and secrets that only come from the environment."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from courses.video import embed_url
from tests.blog.factories import CommentFactory, PostFactory
from tests.factories import CourseFactory, EnrollmentFactory, LessonFactory, SectionFactory
from tests.ratings.factories import rate

HTTPS = {"headers": {"X-Forwarded-Proto": "https"}}


@pytest.fixture
def production(settings):
    """The SECURE_* settings of config/settings/production.py."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    settings.SECURE_REFERRER_POLICY = "same-origin"
    settings.X_FRAME_OPTIONS = "DENY"
    return settings


def csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_cannot_be_framed(client, db, production):
    response = client.get(reverse("home"), **HTTPS)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert csp(response)["frame-ancestors"] == ["'none'"]


def test_responses_forbid_content_sniffing(client, db, production):
    response = client.get(reverse("courses:catalog"), **HTTPS)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_links_to_other_sites_carry_no_referrer(client, db, production):
    response = client.get(reverse("home"), **HTTPS)
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_https_responses_ask_browsers_to_stay_on_https_for_a_year(client, db, production):
    response = client.get(reverse("home"), **HTTPS)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_plain_http_is_redirected_to_https(client, db, production):
    response = client.get(reverse("courses:catalog"))
    assert response.status_code == 301
    assert response.url.startswith("https://")


def test_health_checks_answer_over_plain_http(client, db, production):
    assert client.get(reverse("healthz")).status_code == 200


def test_the_csrf_cookie_is_only_sent_over_https(client, db, production):
    response = client.get(reverse("account_login"), **HTTPS)
    assert response.cookies[django_settings.CSRF_COOKIE_NAME]["secure"] is True


def test_the_session_cookie_is_https_only_and_hidden_from_scripts(client, learner, production):
    response = client.post(
        reverse("account_login"),
        {"login": learner.email, "password": "correct-horse-battery-9"},
        **HTTPS,
    )
    assert response.status_code == 302
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_scripts_run_only_from_this_site(client, db):
    policy = csp(client.get(reverse("home")))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_every_page_carries_the_policy_even_errors(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_lesson_video_player_is_allowed_to_load(client, learner):
    course = CourseFactory()
    lesson = LessonFactory(
        section=SectionFactory(course=course),
        kind="video",
        video_url="https://vimeo.com/76979871",
    )
    EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    response = client.get(lesson.get_absolute_url())
    player = embed_url(lesson.video_url)
    assert player in response.content.decode()
    assert "https://player.vimeo.com" in csp(response)["frame-src"]
    assert "https://www.youtube-nocookie.com" in csp(response)["frame-src"]


def test_forms_may_continue_to_stripe_checkout(client, db):
    """The Buy form's POST answers 303 to Stripe; form-action applies to that redirect."""
    policy = csp(client.get(reverse("home")))
    assert policy["form-action"][0] == "'self'"
    assert "https://checkout.stripe.com" in policy["form-action"]


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(ALLOWED_HOSTS="example.com", DJANGO_SETTINGS_MODULE="config.settings.production")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# --- User text -----------------------------------------------------------------------------

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>[link](javascript:alert(3))"


def test_a_hostile_review_and_display_name_are_shown_as_harmless_text(client, learner):
    learner.display_name = "<script>alert(4)</script>"
    learner.save()
    course = CourseFactory()
    rate(course, 5, user=learner, title="<b>Hi</b>", body=XSS)
    html = client.get(reverse("ratings:list", args=[course.slug])).content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html


def test_a_hostile_comment_is_shown_as_harmless_text(client, learner):
    post = PostFactory()
    CommentFactory(post=post, author=learner, body=XSS)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
