"""The reviews page of a course: summary, distribution, sorting, paging, safety, query count."""

import re

import pytest
from django.urls import reverse

from ratings.models import Rating
from tests.factories import CourseFactory, UserFactory
from tests.ratings.factories import enrolled, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(title="SQL for analysts")


def list_url(course, **params):
    url = reverse("ratings:list", args=[course.slug])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def review_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="review-title">([^<]*)</h3>', html)


def test_reviews_page_shows_average_count_and_reviews(client, course):
    rate(course, 5, title="Great")
    rate(course, 4, title="Good", body="Well *paced*.")
    html = client.get(list_url(course)).content.decode()
    assert "<strong data-rating-average>4.50</strong>" in html
    assert "2 ratings" in html
    assert review_titles(html) == ["Good", "Great"]
    assert "<em>paced</em>" in html


def test_distribution_shows_each_star_value_as_text_percentages(client, course):
    for stars in (5, 5, 5, 4):
        rate(course, stars)
    html = client.get(list_url(course)).content.decode()
    rows = re.findall(
        r'<th scope="row">(\d) stars?</th>.*?class="rating-percent">(\d+)%</span>', html, re.S
    )
    assert rows == [("5", "75"), ("4", "25"), ("3", "0"), ("2", "0"), ("1", "0")]


def test_course_without_ratings_says_so(client, course):
    html = client.get(list_url(course)).content.decode()
    assert "No ratings yet." in html


def test_reviews_are_sorted_by_most_helpful_on_request(client, course, learner):
    rate(course, 5, title="Older but helpful")
    newer = rate(course, 4, title="Newer")
    Rating.objects.filter(title="Older but helpful").update(helpful_count=3)
    assert newer.helpful_count == 0
    html = client.get(list_url(course, sort="helpful")).content.decode()
    assert review_titles(html) == ["Older but helpful", "Newer"]
    assert 'href="?sort=helpful" aria-current="true"' in html


def test_unknown_sort_falls_back_to_newest(client, course):
    rate(course, 5, title="Older")
    rate(course, 4, title="Newer")
    response = client.get(list_url(course, sort="drop table"))
    assert response.status_code == 200
    assert review_titles(response.content.decode()) == ["Newer", "Older"]


def test_reviews_are_shown_ten_a_page(client, course):
    for n in range(12):
        rate(course, 4, title=f"Review {n:02d}")
    first = client.get(list_url(course)).content.decode()
    second = client.get(list_url(course, sort="newest", page=2)).content.decode()
    assert len(review_titles(first)) == 10
    assert "Page 1 of 2" in first
    assert review_titles(second) == ["Review 01", "Review 00"]


def test_a_page_number_out_of_range_shows_the_last_page(client, course):
    rate(course, 4, title="Only")
    response = client.get(list_url(course, page="99"))
    assert review_titles(response.content.decode()) == ["Only"]


def test_script_tags_in_a_review_are_neutralised(client, course):
    rate(course, 1, title="<script>alert('t')</script>", body="<script>alert('b')</script> hi")
    html = client.get(list_url(course)).content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in html


def test_draft_course_has_no_reviews_page(client):
    draft = CourseFactory(status="draft", published_at=None)
    assert client.get(list_url(draft)).status_code == 404


def test_enrolled_learner_without_a_rating_gets_the_rating_form(client, learner, course):
    enrolled(learner, course)
    client.force_login(learner)
    html = client.get(list_url(course)).content.decode()
    assert f'action="{reverse("ratings:rate", args=[course.slug])}"' in html


def test_learner_with_a_rating_gets_edit_and_delete_links(client, learner, course):
    rating = rate(course, 4, user=learner)
    client.force_login(learner)
    html = client.get(list_url(course)).content.decode()
    assert reverse("ratings:edit", args=[rating.pk]) in html
    assert reverse("ratings:delete", args=[rating.pk]) in html


def test_anonymous_visitor_is_invited_to_log_in_to_rate(client, course):
    html = client.get(list_url(course)).content.decode()
    assert "to rate this course if you are enrolled" in html


def _reviews(course, n):
    for _ in range(n):
        rate(course, 4, title="Fine", body="Some *text*.")


@pytest.mark.parametrize("n", [3, 30])
def test_reviews_page_query_count_does_not_grow_for_visitors(
    client, course, django_assert_num_queries, n
):
    _reviews(course, n)
    # course, distribution, one page of reviews with their authors
    with django_assert_num_queries(3):
        assert client.get(list_url(course)).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_reviews_page_query_count_does_not_grow_for_learners(
    client, course, django_assert_num_queries, n
):
    _reviews(course, n)
    reader = UserFactory()
    enrolled(reader, course)
    client.force_login(reader)
    # user, course, distribution, page, own rating, can rate, helpful marks (session: Redis)
    with django_assert_num_queries(7):
        assert client.get(list_url(course, sort="helpful")).status_code == 200
