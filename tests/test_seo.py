"""Structured data (JSON-LD), Open Graph / Twitter cards and canonical URLs on every page type.

The JSON-LD is read as a search engine reads it: json.loads of each
<script type="application/ld+json">, then the properties Google documents for Course info,
Course list (ItemList of ListItem url) and BlogPosting are checked.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests.blog.factories import PostFactory
from tests.factories import CategoryFactory, CourseFactory, LessonFactory, SectionFactory
from tests.ratings.factories import rate

pytestmark = pytest.mark.django_db

HOSTILE = 'Evil </script><script>alert("x")</script> & <!-- course'


class HeadParser(HTMLParser):
    """Collects <meta>, <link rel=canonical> and the JSON-LD scripts' raw text."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []
        self.jsonld: list[str] = []
        self.scripts = 0
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        if tag == "script":
            self.scripts += 1
            self._in_jsonld = attrs.get("type") == "application/ld+json"
            if self._in_jsonld:
                self.jsonld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data


def parse(response) -> HeadParser:
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def jsonld_of(response, kind: str) -> dict:
    items = [json.loads(text) for text in parse(response).jsonld]
    found = [item for item in items if item.get("@type") == kind]
    assert len(found) == 1, f"expected one {kind} in {items}"
    assert found[0]["@context"] == "https://schema.org"
    return found[0]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


# --- Course ---------------------------------------------------------------------------------


def test_course_page_has_course_jsonld_with_googles_required_and_recommended_properties(client):
    course = CourseFactory(
        title="Pandas in practice",
        subtitle="Tidy data",
        price_amount=4900,
        language="en",
        duration_minutes=150,
    )

    data = jsonld_of(client.get(course.get_absolute_url()), "Course")

    assert data["name"] == "Pandas in practice"
    assert data["description"] == "Tidy data"
    assert data["provider"]["@type"] == "Organization"
    assert data["provider"]["name"] == "Data School"
    assert data["provider"]["sameAs"] == settings.SITE_URL + "/"
    assert data["url"] == absolute(course.get_absolute_url())
    assert data["inLanguage"] == "en"
    assert data["offers"] == [
        {
            "@type": "Offer",
            "category": "Paid",
            "price": "49.00",
            "priceCurrency": "EUR",
            "url": absolute(course.get_absolute_url()),
        }
    ]
    [instance] = data["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance"
    assert instance["courseMode"] == "Online"
    assert instance["courseWorkload"] == "PT2H30M"


def test_free_course_offer_is_category_free_with_price_zero(client):
    course = CourseFactory(price_amount=0)

    [offer] = jsonld_of(client.get(course.get_absolute_url()), "Course")["offers"]

    assert offer["category"] == "Free"
    assert offer["price"] == "0.00"


def test_course_without_ratings_has_no_aggregate_rating(client):
    course = CourseFactory()

    assert "aggregateRating" not in jsonld_of(client.get(course.get_absolute_url()), "Course")


def test_course_aggregate_rating_comes_from_real_ratings(client):
    course = CourseFactory()
    rate(course, 5)
    rate(course, 4)

    rating = jsonld_of(client.get(course.get_absolute_url()), "Course")["aggregateRating"]

    assert rating["@type"] == "AggregateRating"
    assert float(rating["ratingValue"]) == 4.5
    assert rating["ratingCount"] == 2


def test_hostile_course_title_cannot_break_out_of_the_jsonld_script(client):
    course = CourseFactory(title=HOSTILE, subtitle=HOSTILE)

    response = client.get(course.get_absolute_url())
    parser = parse(response)
    html = response.content.decode()

    # The title survives intact once parsed as JSON ...
    assert jsonld_of(response, "Course")["name"] == HOSTILE
    # ... and its markup never appears raw: no extra <script> element was opened.
    assert 'alert("x")</script>' not in html
    assert parser.scripts == html.count("<script")
    assert all("<" not in text and ">" not in text for text in parser.jsonld)
    assert parser.meta["og:title"].startswith(HOSTILE)


def test_course_og_image_is_the_cover_or_the_default_image(client):
    plain = CourseFactory()
    covered = CourseFactory(cover="covers/pandas.png")

    assert parse(client.get(plain.get_absolute_url())).meta["og:image"] == absolute(
        "/static/img/og-default.png"
    )
    assert parse(client.get(covered.get_absolute_url())).meta["og:image"] == absolute(
        "/media/covers/pandas.png"
    )


# --- Catalog --------------------------------------------------------------------------------


def test_catalog_has_an_item_list_of_course_urls_in_page_order(client):
    category = CategoryFactory()
    first = CourseFactory(title="Alpha", category=category, price_amount=900)
    second = CourseFactory(title="Beta", category=category, price_amount=1900)

    data = jsonld_of(client.get(reverse("courses:catalog") + "?sort=price_low"), "ItemList")

    assert data["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "url": absolute(first.get_absolute_url())},
        {"@type": "ListItem", "position": 2, "url": absolute(second.get_absolute_url())},
    ]


def test_category_page_has_an_item_list_too(client):
    course = CourseFactory()

    data = jsonld_of(client.get(course.category.get_absolute_url()), "ItemList")

    assert [item["url"] for item in data["itemListElement"]] == [
        absolute(course.get_absolute_url())
    ]


def test_empty_catalog_has_no_item_list(client):
    assert parse(client.get(reverse("courses:catalog"))).jsonld == []


# --- Blog -----------------------------------------------------------------------------------


def test_blog_post_has_blog_posting_jsonld(client):
    post = PostFactory(title="Window functions", author__display_name="Ada")

    data = jsonld_of(client.get(post.get_absolute_url()), "BlogPosting")

    assert data["headline"] == "Window functions"
    assert data["datePublished"] == post.publish_at.isoformat(timespec="seconds")
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"] == {"@type": "Person", "name": "Ada"}
    assert data["image"] == [absolute("/static/img/og-default.png")]
    assert data["url"] == absolute(post.get_absolute_url())


def test_blog_post_is_an_og_article(client):
    post = PostFactory(cover="blog/cover.png")

    meta = parse(client.get(post.get_absolute_url())).meta

    assert meta["og:type"] == "article"
    assert meta["og:image"] == absolute("/media/blog/cover.png")
    assert "article:published_time" in meta


# --- Every page type: Open Graph, Twitter card, canonical -----------------------------------


def _page_urls() -> dict[str, str]:
    course = CourseFactory(title="SQL basics")
    lesson = LessonFactory(section=SectionFactory(course=course), is_preview=True)
    post = PostFactory()
    return {
        "home": reverse("home"),
        "catalog": reverse("courses:catalog"),
        "category": course.category.get_absolute_url(),
        "course": course.get_absolute_url(),
        "preview": reverse("learning:lesson", args=[course.slug, lesson.slug]),
        "blog": reverse("blog:index"),
        "post": post.get_absolute_url(),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "privacy": reverse("legal:page", args=["privacy"]),
    }


def test_every_page_type_has_open_graph_and_twitter_card_tags(client):
    for name, url in _page_urls().items():
        meta = parse(client.get(url)).meta
        for prop in ("og:title", "og:description", "og:image", "og:url", "og:type"):
            assert meta.get(prop), f"{name}: no {prop}"
        assert meta["twitter:card"] == "summary_large_image", name
        assert meta["og:url"] == absolute(url), name
        assert meta["og:image"].startswith(("http://", "https://")), name
        assert meta["og:title"] == meta["og:title"].strip(), name


def test_every_page_type_has_one_canonical_link(client):
    for name, url in _page_urls().items():
        assert parse(client.get(url)).canonical == [absolute(url)], name


def test_canonical_url_drops_tracking_parameters_and_keeps_the_rest(client):
    url = reverse("courses:catalog")

    response = client.get(url, {"utm_source": "news", "fbclid": "x", "q": "sql", "gclid": "y"})

    assert parse(response).canonical == [absolute(url) + "?q=sql"]
    assert parse(response).meta["og:url"] == absolute(url) + "?q=sql"


def test_page_titles_reach_og_title_without_markup_or_extra_whitespace(client):
    course = CourseFactory(title="Tom & Jerry's <data>")

    meta = parse(client.get(course.get_absolute_url())).meta

    assert meta["og:title"] == "Tom & Jerry's <data> · Data School"
    assert re.search(
        r"<title>Tom &amp; Jerry", client.get(course.get_absolute_url()).content.decode()
    )


def test_item_list_positions_continue_across_result_pages():
    from django.core.paginator import Paginator

    from core.templatetags.seo import item_list_jsonld

    class Item:
        def __init__(self, n: int) -> None:
            self.n = n

        def get_absolute_url(self) -> str:
            return f"/courses/c{self.n}/"

    second_page = Paginator([Item(n) for n in range(1, 6)], 2).page(2)

    html = str(item_list_jsonld(second_page))
    data = json.loads(
        html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    )

    assert [(i["position"], i["url"]) for i in data["itemListElement"]] == [
        (3, absolute("/courses/c3/")),
        (4, absolute("/courses/c4/")),
    ]
