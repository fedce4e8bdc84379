"""The catalog page: published courses, filters, sorts, pagination and odd parameters."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.courses.factories import bulk_courses
from tests.factories import CategoryFactory, CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


def card_titles(response) -> list[str]:
    return [course.title for course in response.context["results"].page.object_list]


def get_catalog(client, **params):
    response = client.get(reverse("courses:catalog"), params)
    assert response.status_code == 200
    return response


def test_catalog_lists_published_courses_only(client):
    CourseFactory(title="Published SQL")
    CourseFactory(title="Draft SQL", status="draft", published_at=None)
    response = get_catalog(client)
    assert card_titles(response) == ["Published SQL"]
    assert "Draft SQL" not in response.content.decode()


def test_course_card_links_to_the_course_page_and_shows_price_and_lessons(client):
    course = CourseFactory(title="SQL Joins", price_amount=1900, duration_minutes=95)
    LessonFactory(section__course=course)
    LessonFactory(section__course=course)
    html = get_catalog(client).content.decode()
    assert f'href="{reverse("courses:detail", args=[course.slug])}"' in html
    assert "€19.00" in html
    assert "2 lessons" in html
    assert "1 h 35 min" in html


def test_free_course_card_reads_free(client):
    CourseFactory(price_amount=0)
    assert "Free" in get_catalog(client).content.decode()


def test_catalog_filters_by_category(client):
    sql = CategoryFactory(slug="sql", name="SQL")
    CourseFactory(title="Joins", category=sql)
    CourseFactory(title="Pandas", category=CategoryFactory(slug="python"))
    assert card_titles(get_catalog(client, category="sql")) == ["Joins"]


def test_catalog_filters_by_level_language_and_price(client):
    CourseFactory(title="Match", level="advanced", language="de", price_amount=0)
    CourseFactory(title="Wrong level", level="beginner", language="de", price_amount=0)
    CourseFactory(title="Wrong language", level="advanced", language="en", price_amount=0)
    CourseFactory(title="Paid", level="advanced", language="de", price_amount=4900)
    response = get_catalog(client, level="advanced", language="de", price="free")
    assert card_titles(response) == ["Match"]


def test_catalog_filters_paid_courses(client):
    CourseFactory(title="Free one", price_amount=0)
    CourseFactory(title="Paid one", price_amount=4900)
    assert card_titles(get_catalog(client, price="paid")) == ["Paid one"]


def test_catalog_filters_by_minimum_rating(client):
    CourseFactory(title="Loved", rating_average=4.6, rating_count=10)
    CourseFactory(title="Fine", rating_average=3.2, rating_count=10)
    assert card_titles(get_catalog(client, min_rating="4.5")) == ["Loved"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["New", "Mid", "Old"]),
        ("price_low", ["Old", "Mid", "New"]),
        ("price_high", ["New", "Mid", "Old"]),
        ("rating", ["Mid", "New", "Old"]),
        ("popular", ["Old", "New", "Mid"]),
    ],
)
def test_catalog_sorts(client, sort, expected):
    now = timezone.now()
    CourseFactory(
        title="Old",
        published_at=now - timedelta(days=3),
        price_amount=0,
        rating_average=2,
        enrollment_count=50,
    )
    CourseFactory(
        title="Mid",
        published_at=now - timedelta(days=2),
        price_amount=1900,
        rating_average=5,
        enrollment_count=1,
    )
    CourseFactory(
        title="New",
        published_at=now - timedelta(days=1),
        price_amount=4900,
        rating_average=4,
        enrollment_count=10,
    )
    assert card_titles(get_catalog(client, sort=sort)) == expected


def test_search_results_are_ranked_by_relevance_by_default(client):
    CourseFactory(title="Statistics", description="A little python.")
    CourseFactory(title="Python for Data Analysis")
    response = get_catalog(client, q="python")
    assert card_titles(response) == ["Python for Data Analysis", "Statistics"]


def test_search_shows_a_highlighted_snippet(client):
    CourseFactory(title="Scraping", subtitle="Collect pages with BeautifulSoup")
    html = get_catalog(client, q="beautifulsoup").content.decode()
    assert "<mark>BeautifulSoup</mark>" in html


def test_misspelt_search_shows_the_corrected_matches_and_links_to_them(client):
    CourseFactory(title="Python for Data Analysis")
    html = get_catalog(client, q="pyhton").content.decode()
    assert "Python for Data Analysis" in html
    assert 'Did you mean <a href="?q=python">python</a>?' in html


def test_facet_links_show_counts_and_keep_the_query(client):
    sql = CategoryFactory(slug="sql", name="SQL")
    CourseFactory(title="Python and SQL", category=sql)
    CourseFactory(title="Python only", category=CategoryFactory(slug="py", name="Py"))
    response = get_catalog(client, q="python")
    category_facet = next(f for f in response.context["facets"] if f.name == "category")
    sql_option = next(o for o in category_facet.options if o.label == "SQL")
    assert sql_option.count == 1
    assert sql_option.url == reverse("courses:catalog") + "?q=python&category=sql"


def test_catalog_is_paginated_by_twelve(client):
    bulk_courses(30, category=CategoryFactory())
    response = get_catalog(client, page="3")
    assert len(card_titles(response)) == 6
    assert response.context["page_obj"].number == 3
    assert "Page 3 of 3" in response.content.decode()


def test_pagination_links_keep_the_filters(client):
    bulk_courses(30, category=CategoryFactory())
    html = get_catalog(client, q="python", price="paid").content.decode()
    assert "?q=python&amp;price=paid&amp;page=2" in html


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"level": "xyz"},
        {"min_rating": "banana"},
        {"price": "cheap"},
        {"sort": "random()"},
        {"category": "no-such-category"},
        {"language": "'; drop table"},
        {"q": "x" * 5000},
        {"q": "<script>alert(1)</script>"},
        {"q": "!!! & | ( :* '"},
        {"q": "py\x00thon"},
    ],
    ids=lambda params: "-".join(f"{k}={v[:12]!r}" for k, v in params.items()),
)
def test_bad_parameters_still_give_a_sane_page(client, params):
    bulk_courses(14, category=CategoryFactory())
    response = client.get(reverse("courses:catalog"), params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_page_beyond_the_end_shows_the_last_page(client):
    bulk_courses(14, category=CategoryFactory())
    response = get_catalog(client, page="99999")
    assert response.context["page_obj"].number == 2


def test_an_invalid_filter_is_ignored_with_a_notice(client):
    CourseFactory(title="Still listed")
    response = get_catalog(client, level="xyz")
    assert card_titles(response) == ["Still listed"]
    assert "were ignored: Level" in response.content.decode()


def test_a_very_long_query_is_cut_to_200_characters(client):
    response = get_catalog(client, q="python " * 100)
    assert len(response.context["filters"].q) <= 200


def test_category_page_lists_only_that_category(client):
    sql = CategoryFactory(slug="sql", name="SQL", description="Query databases.")
    CourseFactory(title="Joins", category=sql)
    CourseFactory(title="Pandas", category=CategoryFactory(slug="python"))
    response = client.get(reverse("courses:category", args=["sql"]))
    assert response.status_code == 200
    assert card_titles(response) == ["Joins"]
    assert "Query databases." in response.content.decode()


def test_unknown_category_is_404(client):
    assert client.get(reverse("courses:category", args=["nope"])).status_code == 404


def test_header_search_box_submits_to_the_catalog_from_any_page(client):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("courses:catalog")}"' in html
    assert 'name="q"' in html


def test_anonymous_catalog_is_never_stale_after_an_edit(client, django_capture_on_commit_callbacks):
    course = CourseFactory(title="Old title")
    assert card_titles(get_catalog(client)) == ["Old title"]
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "New title"
        course.save()
    html = get_catalog(client).content.decode()
    assert "New title" in html
    assert "Old title" not in html


def test_anonymous_catalog_is_served_from_the_cache(client, django_assert_num_queries):
    CourseFactory()
    get_catalog(client)
    with django_assert_num_queries(0):
        get_catalog(client)
