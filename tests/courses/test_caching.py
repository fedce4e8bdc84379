"""Anonymous course pages come from the shared cache, with each visitor's own CSRF token, and
are never stale after an edit; signed-in visitors always get a freshly rendered page."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.page_cache import CSRF_PLACEHOLDER
from tests.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]+)"')


def page_of(course, client):
    return client.get(reverse("courses:detail", args=[course.slug]))


def test_anonymous_course_page_is_served_from_the_cache(client, django_assert_num_queries):
    course = CourseFactory(title="Cached Course")
    page_of(course, client)
    with django_assert_num_queries(0):
        response = page_of(course, client)
    assert "Cached Course" in response.content.decode()


def test_each_visitor_of_a_cached_course_page_gets_their_own_csrf_token():
    course = CourseFactory()
    first, second = Client(), Client()
    first_html = page_of(course, first).content.decode()
    second_html = page_of(course, second).content.decode()
    assert CSRF_PLACEHOLDER not in second_html
    assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value
    assert TOKEN.search(first_html).group(1) != TOKEN.search(second_html).group(1)


def test_the_csrf_token_in_a_cached_course_page_is_accepted():
    course = CourseFactory()
    page_of(course, Client())  # stores the page
    visitor = Client(enforce_csrf_checks=True)
    token = TOKEN.search(page_of(course, visitor).content.decode()).group(1)
    response = visitor.post(
        reverse("account_login"),
        {"login": "nobody@example.com", "password": "wrong"},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code != 403


def test_anonymous_course_page_shows_an_edit_at_once(client, django_capture_on_commit_callbacks):
    course = CourseFactory(title="Old title")
    assert "Old title" in page_of(course, client).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "New title"
        course.save()
    html = page_of(course, client).content.decode()
    assert "New title" in html
    assert "Old title" not in html


def test_an_unpublished_course_page_is_gone_at_once_for_anonymous_visitors(
    client, django_capture_on_commit_callbacks
):
    course = CourseFactory()
    page_of(course, client)
    with django_capture_on_commit_callbacks(execute=True):
        course.status = course.Status.DRAFT
        course.save()
    assert page_of(course, client).status_code == 404


def test_signed_in_learner_never_gets_the_cached_anonymous_page(client, learner):
    course = CourseFactory(price_amount=0)
    page_of(course, Client())  # an anonymous visit stores the page
    client.force_login(learner)
    html = page_of(course, client).content.decode()
    assert "Enrol for free" in html
    assert "Log in to enrol" not in html


def test_a_learners_page_is_never_stored_for_anonymous_visitors(client, learner):
    course = CourseFactory(price_amount=0)
    client.force_login(learner)
    page_of(course, client)
    html = page_of(course, Client()).content.decode()
    assert "Log in to enrol" in html
    assert learner.public_name not in html


def test_a_pending_message_is_shown_to_its_visitor_only(client, rf):
    course = CourseFactory()
    storage = CookieStorage(rf.get("/"))
    storage.add(constants.WARNING, "Your access to this course has ended.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies.update(carrier.cookies)
    assert "Your access to this course has ended." in page_of(course, client).content.decode()
    assert "Your access to this course has ended." not in page_of(course, Client()).content.decode()


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
)
def test_course_page_renders_when_the_cache_is_down(client):
    course = CourseFactory(title="Still Here")
    response = page_of(course, client)
    assert response.status_code == 200
    assert "Still Here" in response.content.decode()
    assert CSRF_PLACEHOLDER not in response.content.decode()


def test_a_helpful_vote_shows_on_the_cached_course_page_at_once(
    client, learner, other_learner, django_capture_on_commit_callbacks
):
    from ratings.services import mark_helpful
    from tests.ratings.factories import rate

    course = CourseFactory()
    review = rate(course, 5, user=learner, body="Great")
    assert "found this helpful" not in page_of(course, client).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        mark_helpful(user=other_learner, rating=review)
    assert "1 person found this helpful" in page_of(course, client).content.decode()


# --- Home, catalog, search and preview lessons share the same page cache ---------------------


def test_anonymous_home_page_is_served_from_the_cache(client, django_assert_num_queries):
    CourseFactory(title="Featured Course")
    client.get(reverse("home"))
    with django_assert_num_queries(0):
        response = client.get(reverse("home"))
    assert "Featured Course" in response.content.decode()


def test_an_anonymous_search_is_served_from_the_cache(client, django_assert_num_queries):
    CourseFactory(title="Python for Analysts")
    url = reverse("courses:catalog") + "?q=python&page=1"
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert "Python for Analysts" in response.content.decode()


def test_a_search_with_unknown_parameters_is_rendered_not_stored(client):
    CourseFactory(title="Python for Analysts")
    url = reverse("courses:catalog") + "?q=python&utm_source=x"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert "Python for Analysts" in response.content.decode()
    assert len(queries) > 0  # rendered again: the odd query string was not a cache key


def test_a_new_course_shows_in_cached_search_results_at_once(
    client, django_capture_on_commit_callbacks
):
    CourseFactory(title="Python for Analysts")
    url = reverse("courses:catalog") + "?q=python"
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        CourseFactory(title="Python for Engineers")
    assert "Python for Engineers" in client.get(url).content.decode()


def test_an_anonymous_preview_lesson_is_served_from_the_cache(client, django_assert_num_queries):
    lesson = LessonFactory(is_preview=True, title="Preview Lesson")
    url = reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])
    assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        response = client.get(url)
    assert "Preview Lesson" in response.content.decode()


def test_a_paid_lesson_still_sends_anonymous_visitors_to_log_in(client):
    lesson = LessonFactory(is_preview=False)
    url = reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])
    client.get(url)
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
