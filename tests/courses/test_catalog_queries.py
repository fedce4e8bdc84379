"""Catalog, search and home pages make the same number of queries for 3 and for 30 courses."""

import pytest
from django.urls import reverse

from tests.courses.factories import bulk_courses
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

# Anonymous: categories, facet groups (materialised counts), one page of cards.
CATALOG_QUERIES = 3
# Search: categories, the query's analysis (tsquery, typo check and, for one word, its stored
# facet counts), the ranked ids (from the stored per-word ranking), one page of cards. None of
# them reads every match.
SEARCH_QUERIES = 4
# A misspelling: the same, plus the corrected query's analysis.
TYPO_QUERIES = 5
# Home: the newest and the most popular courses.
HOME_QUERIES = 2


@pytest.fixture(params=[3, 30], ids=["3-courses", "30-courses"])
def courses(request):
    return bulk_courses(request.param, category=CategoryFactory(slug="python"))


def test_catalog_query_count_does_not_grow_with_courses(client, courses, django_assert_num_queries):
    with django_assert_num_queries(CATALOG_QUERIES):
        response = client.get(reverse("courses:catalog"), {"sort": "popular", "level": "beginner"})
    assert response.status_code == 200


def test_search_query_count_does_not_grow_with_courses(client, courses, django_assert_num_queries):
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("courses:catalog"), {"q": "python"})
    assert response.status_code == 200


def test_misspelt_search_query_count_does_not_grow_with_courses(
    client, courses, django_assert_num_queries
):
    with django_assert_num_queries(TYPO_QUERIES):
        response = client.get(reverse("courses:catalog"), {"q": "pyhton"})
    assert response.status_code == 200
    assert "Python topic" in response.content.decode()


def test_category_page_query_count_does_not_grow_with_courses(
    client, courses, django_assert_num_queries
):
    with django_assert_num_queries(CATALOG_QUERIES):
        response = client.get(reverse("courses:category", args=["python"]))
    assert response.status_code == 200


def test_home_query_count_does_not_grow_with_courses(client, courses, django_assert_num_queries):
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_signed_in_catalog_query_count_does_not_grow_with_courses(
    client, learner, courses, django_assert_num_queries
):
    client.force_login(learner)
    client.get(reverse("home"))  # warms the session cache
    with django_assert_num_queries(SEARCH_QUERIES + 1):  # + the user (session is in Redis)
        response = client.get(reverse("courses:catalog"), {"q": "python"})
    assert response.status_code == 200
