"""What an anonymous request costs and leaves behind: no session, no cookie but the CSRF one,
no language switching, messages that still travel in their cookie, and the bench hello page."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.blog.factories import PostFactory
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading_pages():
    course = CourseFactory()
    post = PostFactory()
    return [
        reverse("home"),
        reverse("courses:catalog"),
        reverse("courses:catalog") + "?q=python",
        reverse("courses:detail", args=[course.slug]),
        reverse("blog:index"),
        post.get_absolute_url(),
        reverse("account_login"),
        reverse("account_signup"),
    ]


def test_an_anonymous_visit_creates_no_session_and_sets_no_session_cookie(reading_pages):
    for url in reading_pages:
        for _ in range(2):  # rendered, then from the page cache
            response = Client().get(url)
            assert response.status_code == 200, url
            assert set(response.cookies) <= {"csrftoken"}, url
    assert Session.objects.count() == 0


def test_the_csrf_cookie_comes_with_pages_that_carry_a_form():
    response = Client().get(reverse("account_login"))
    assert "csrftoken" in response.cookies


def test_posting_a_form_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))
    response = client.post(
        reverse("account_login"), {"login": "a@example.com", "password": "wrong-password-1"}
    )
    assert response.status_code == 403


def test_a_browser_asking_for_german_gets_the_english_site(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert "Password" in html
    assert "Passwort" not in html
    assert "Accept-Language" not in response.get("Vary", "")


def test_a_message_travels_in_its_signed_cookie_to_the_next_request():
    factory = RequestFactory()
    request = factory.get("/")
    request.session = {}
    request._messages = default_storage(request)
    messages.success(request, "Saved 3fa1.")
    response = HttpResponse()
    request._messages.update(response)
    cookie = response.cookies["messages"].value

    following = factory.get("/", HTTP_COOKIE=f"messages={cookie}")
    following.session = {}
    assert [str(m) for m in default_storage(following)] == ["Saved 3fa1."]


def test_a_tampered_message_cookie_is_ignored():
    request = RequestFactory().get("/", HTTP_COOKIE="messages=forged:abc")
    request.session = {}
    assert list(default_storage(request)) == []


def test_the_bench_hello_page_is_off_by_default(client, settings):
    settings.DEBUG = False
    settings.BENCH_HELLO = False
    assert client.get(reverse("bench_hello")).status_code == 404


def test_the_bench_hello_page_answers_when_turned_on(client, settings):
    settings.BENCH_HELLO = True
    response = client.get(reverse("bench_hello"))
    assert response.status_code == 200
    assert response.content == b"Hello, world"
    assert "Content-Security-Policy" in response.headers
    assert Session.objects.count() == 0
