import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ratings import services
from ratings.models import ReviewHelpful
from tests.factories import CourseFactory
from tests.ratings.factories import rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(other_learner):
    return rate(CourseFactory(), 4, user=other_learner, title="Solid course")


def helpful_url(review):
    return reverse("ratings:helpful", args=[review.pk])


def test_marking_a_review_helpful_counts_one_vote(learner, review):
    services.mark_helpful(user=learner, rating=review)
    review.refresh_from_db()
    assert review.helpful_count == 1


def test_marking_the_same_review_twice_counts_once(learner, review):
    services.mark_helpful(user=learner, rating=review)
    services.mark_helpful(user=learner, rating=review)
    review.refresh_from_db()
    assert review.helpful_count == 1
    assert ReviewHelpful.objects.count() == 1


def test_author_cannot_mark_their_own_review_helpful(other_learner, review):
    with pytest.raises(ValidationError, match="your own review"):
        services.mark_helpful(user=other_learner, rating=review)
    review.refresh_from_db()
    assert review.helpful_count == 0


def test_helpful_button_without_javascript_counts_and_returns_to_the_page(client, learner, review):
    client.force_login(learner)
    back = reverse("ratings:list", args=[review.course.slug]) + "?sort=helpful"
    response = client.post(helpful_url(review), {"next": back})
    assert response.status_code == 302
    assert response.url == back
    page = client.get(back).content.decode()
    assert "You found this helpful · 1 person did" in page


def test_helpful_button_with_htmx_swaps_in_the_new_count(client, learner, review):
    client.force_login(learner)
    response = client.post(helpful_url(review), headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "You found this helpful · 1 person did" in html
    assert "<html" not in html


def test_helpful_button_ignores_a_next_address_on_another_site(client, learner, review):
    client.force_login(learner)
    response = client.post(helpful_url(review), {"next": "https://evil.example/"})
    assert response.url == reverse("ratings:list", args=[review.course.slug])


def test_author_pressing_helpful_on_own_review_gets_a_clear_message(client, other_learner, review):
    client.force_login(other_learner)
    response = client.post(helpful_url(review), follow=True)
    assert "You cannot mark your own review as helpful." in response.content.decode()


def test_own_review_shows_no_helpful_button(client, other_learner, review):
    client.force_login(other_learner)
    page = client.get(reverse("ratings:list", args=[review.course.slug])).content.decode()
    assert helpful_url(review) not in page


def test_anonymous_visitor_pressing_helpful_is_sent_to_log_in(client, review):
    response = client.post(helpful_url(review))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert ReviewHelpful.objects.count() == 0


def test_helpful_only_accepts_post(client, learner, review):
    client.force_login(learner)
    assert client.get(helpful_url(review)).status_code == 405


def test_hidden_review_cannot_be_marked_helpful(client, learner, review, staff):
    services.hide_review(rating=review, by=staff, reason="Spam")
    client.force_login(learner)
    assert client.post(helpful_url(review)).status_code == 404


def test_htmx_refusal_is_swapped_in_as_a_message(client, other_learner, review):
    client.force_login(other_learner)
    response = client.post(helpful_url(review), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "You cannot mark your own review as helpful." in response.content.decode()
