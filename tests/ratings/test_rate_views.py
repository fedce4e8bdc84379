"""The rating form page (rate, edit) and the delete page."""

import pytest
from django.urls import reverse

from learning.services import revoke_enrollment
from ratings.models import Rating
from tests.factories import CourseFactory
from tests.ratings.factories import enrolled, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(title="Pandas in practice")


def rate_url(course):
    return reverse("ratings:rate", args=[course.slug])


def test_anonymous_visitor_is_sent_to_log_in_before_rating(client, course):
    response = client.get(rate_url(course))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_learner_without_enrollment_is_told_and_sent_to_the_course_page(client, learner, course):
    client.force_login(learner)
    response = client.post(rate_url(course), {"stars": "5"})
    assert response.status_code == 302
    assert response.url == course.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Only learners enrolled in this course can rate it." in page
    assert not Rating.objects.exists()


def test_learner_with_revoked_enrollment_cannot_open_the_rating_form(client, learner, course):
    enrolled(learner, course)
    revoke_enrollment(user=learner, course=course, reason="Refunded")
    client.force_login(learner)
    response = client.get(rate_url(course))
    assert response.url == course.get_absolute_url()


def test_rating_form_offers_stars_as_radio_buttons_in_a_fieldset(client, learner, course):
    enrolled(learner, course)
    client.force_login(learner)
    html = client.get(rate_url(course)).content.decode()
    assert "<legend>Your rating" in html
    assert html.count('type="radio" name="stars"') == 5
    assert '<label for="id_title">' in html and '<label for="id_body">' in html


def test_learner_rates_and_lands_on_the_reviews_page(client, learner, course):
    enrolled(learner, course)
    client.force_login(learner)
    response = client.post(
        rate_url(course), {"stars": "4", "title": "Clear", "body": "Good **pace**."}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("ratings:list", args=[course.slug])
    html = response.content.decode()
    assert "Thank you for rating this course." in html
    assert "<strong>pace</strong>" in html
    assert Rating.objects.get().stars == 4


def test_second_submit_edits_the_same_rating(client, learner, course):
    rate(course, 2, user=learner, title="First")
    client.force_login(learner)
    form = client.get(rate_url(course)).content.decode()
    assert 'value="First"' in form
    response = client.post(rate_url(course), {"stars": "5", "title": "Second"}, follow=True)
    assert "Your rating was updated." in response.content.decode()
    assert list(Rating.objects.values_list("stars", "title")) == [(5, "Second")]


@pytest.mark.parametrize("stars", ["0", "6", "abc", ""])
def test_invalid_stars_give_a_form_error(client, learner, course, stars):
    enrolled(learner, course)
    client.force_login(learner)
    response = client.post(rate_url(course), {"stars": stars})
    assert response.status_code == 200
    assert "Choose from 1 to 5 stars." in response.content.decode()
    assert not Rating.objects.exists()


def test_too_long_title_gives_a_form_error(client, learner, course):
    enrolled(learner, course)
    client.force_login(learner)
    response = client.post(rate_url(course), {"stars": "3", "title": "x" * 121})
    assert "at most 120 characters" in response.content.decode()


def test_draft_course_cannot_be_rated(client, learner):
    draft = CourseFactory(status="draft", published_at=None)
    enrolled(learner, draft)
    client.force_login(learner)
    assert client.get(rate_url(draft)).status_code == 404


def test_author_edits_their_rating_on_its_edit_page(client, learner, course):
    rating = rate(course, 2, user=learner)
    client.force_login(learner)
    url = reverse("ratings:edit", args=[rating.pk])
    assert "Edit your review" in client.get(url).content.decode()
    client.post(url, {"stars": "3", "title": "Grew on me"})
    rating.refresh_from_db()
    assert (rating.stars, rating.title) == (3, "Grew on me")


def test_author_whose_enrollment_was_revoked_cannot_save_an_edit(client, learner, course):
    rating = rate(course, 2, user=learner)
    revoke_enrollment(user=learner, course=course, reason="Refunded")
    client.force_login(learner)
    response = client.post(reverse("ratings:edit", args=[rating.pk]), {"stars": "5"})
    assert "Only learners enrolled in this course can rate it." in response.content.decode()
    rating.refresh_from_db()
    assert rating.stars == 2


@pytest.mark.parametrize("name", ["ratings:edit", "ratings:delete"])
def test_another_learner_cannot_open_someone_elses_rating(
    client, learner, other_learner, course, name
):
    rating = rate(course, 2, user=learner)
    client.force_login(other_learner)
    assert client.get(reverse(name, args=[rating.pk])).status_code == 404


@pytest.mark.parametrize("name", ["ratings:edit", "ratings:delete"])
def test_another_learner_cannot_change_someone_elses_rating(
    client, learner, other_learner, course, name
):
    rating = rate(course, 2, user=learner, title="Mine")
    enrolled(other_learner, course)
    client.force_login(other_learner)
    response = client.post(reverse(name, args=[rating.pk]), {"stars": "5", "title": "Hacked"})
    assert response.status_code == 404
    assert list(Rating.objects.values_list("stars", "title")) == [(2, "Mine")]


@pytest.mark.parametrize("name", ["ratings:edit", "ratings:delete"])
def test_anonymous_visitor_is_sent_to_log_in_for_a_rating(client, learner, course, name):
    rating = rate(course, 2, user=learner)
    response = client.post(reverse(name, args=[rating.pk]))
    assert response.url.startswith(reverse("account_login"))
    assert Rating.objects.exists()


def test_delete_asks_for_confirmation_first(client, learner, course):
    rating = rate(course, 2, user=learner)
    client.force_login(learner)
    response = client.get(reverse("ratings:delete", args=[rating.pk]))
    assert "Delete your rating?" in response.content.decode()
    assert Rating.objects.exists()


def test_author_deletes_their_rating_and_the_count_drops(client, learner, course):
    rating = rate(course, 2, user=learner)
    client.force_login(learner)
    response = client.post(reverse("ratings:delete", args=[rating.pk]), follow=True)
    assert "Your rating was deleted." in response.content.decode()
    assert not Rating.objects.exists()
    course.refresh_from_db()
    assert course.rating_count == 0


def test_too_long_review_gives_a_form_error(client, learner, course):
    enrolled(learner, course)
    client.force_login(learner)
    response = client.post(rate_url(course), {"stars": "3", "body": "x" * 5001})
    assert "at most 5000 characters" in response.content.decode()
    assert not Rating.objects.exists()
