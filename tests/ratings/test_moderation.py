from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ratings import services
from ratings.models import Rating
from tests.factories import CourseFactory
from tests.ratings.factories import rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory()


def summary(course):
    course.refresh_from_db()
    return course.rating_average, course.rating_count


def test_hiding_a_review_takes_it_out_of_the_average(course, staff):
    rate(course, 5)
    spam = rate(course, 1)
    services.hide_review(rating=spam, by=staff, reason="Spam")
    assert summary(course) == (Decimal("5.00"), 1)
    spam.refresh_from_db()
    assert (spam.is_hidden, spam.hidden_reason, spam.hidden_by) == (True, "Spam", staff)
    assert spam.hidden_at is not None


def test_unhiding_a_review_puts_it_back_in_the_average(course, staff):
    rate(course, 5)
    review = rate(course, 1)
    services.hide_review(rating=review, by=staff, reason="Spam")
    services.unhide_review(rating=review)
    assert summary(course) == (Decimal("3.00"), 2)
    review.refresh_from_db()
    assert (review.is_hidden, review.hidden_reason, review.hidden_by) == (False, "", None)


def test_hiding_needs_a_reason(course, staff):
    review = rate(course, 1)
    with pytest.raises(ValidationError, match="reason"):
        services.hide_review(rating=review, by=staff, reason="   ")
    assert not Rating.objects.get().is_hidden


def test_editing_a_hidden_review_keeps_it_out_of_the_average(course, staff, learner):
    rate(course, 5)
    review = rate(course, 1, user=learner)
    services.hide_review(rating=review, by=staff, reason="Abuse")
    rate(course, 2, user=learner)
    assert summary(course) == (Decimal("5.00"), 1)


def test_hidden_review_is_not_on_the_reviews_page(client, course, staff):
    review = rate(course, 1, title="Buy cheap watches")
    services.hide_review(rating=review, by=staff, reason="Spam")
    response = client.get(reverse("ratings:list", args=[course.slug]))
    assert "Buy cheap watches" not in response.content.decode()


def test_author_is_told_why_their_review_is_hidden(client, course, staff, learner):
    review = rate(course, 1, user=learner)
    services.hide_review(rating=review, by=staff, reason="Personal data")
    client.force_login(learner)
    response = client.get(reverse("ratings:list", args=[course.slug]))
    assert "A moderator hid your review (Personal data)" in response.content.decode()


# --- Admin --------------------------------------------------------------------------------

CHANGELIST = "admin:ratings_rating_changelist"


def test_admin_lists_ratings_filtered_by_hidden_and_stars_and_searched_by_email(
    client, course, staff, learner
):
    rate(course, 4, user=learner)
    client.force_login(staff)
    url = reverse(CHANGELIST)
    assert client.get(url, {"is_hidden__exact": "0", "stars": "4"}).status_code == 200
    response = client.get(url, {"q": "alice@example.com"})
    assert "1 rating" in response.content.decode()


def test_admin_hide_action_first_asks_for_a_reason(client, course, staff):
    review = rate(course, 1)
    client.force_login(staff)
    response = client.post(
        reverse(CHANGELIST), {"action": "hide_reviews", "_selected_action": [review.pk]}
    )
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    assert not Rating.objects.get().is_hidden


def test_admin_hide_action_without_a_reason_asks_again(client, course, staff):
    review = rate(course, 1)
    client.force_login(staff)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "hide_reviews", "_selected_action": [review.pk], "apply": "1", "reason": ""},
    )
    assert "Please give a reason" in response.content.decode()
    assert not Rating.objects.get().is_hidden


def test_admin_hide_action_hides_with_the_reason_and_updates_the_average(client, course, staff):
    rate(course, 5)
    review = rate(course, 1)
    client.force_login(staff)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "hide_reviews", "_selected_action": [review.pk], "apply": "1", "reason": "Spam"},
        follow=True,
    )
    assert "Hid 1 review." in response.content.decode()
    review.refresh_from_db()
    assert (review.is_hidden, review.hidden_reason, review.hidden_by) == (True, "Spam", staff)
    assert summary(course) == (Decimal("5.00"), 1)


def test_admin_unhide_action_shows_reviews_again(client, course, staff):
    rate(course, 5)
    review = rate(course, 1)
    services.hide_review(rating=review, by=staff, reason="Spam")
    client.force_login(staff)
    client.post(reverse(CHANGELIST), {"action": "unhide_reviews", "_selected_action": [review.pk]})
    assert not Rating.objects.get(pk=review.pk).is_hidden
    assert summary(course) == (Decimal("3.00"), 2)


def test_admin_shows_a_rating_read_only(client, course, staff):
    review = rate(course, 3, title="Fine")
    client.force_login(staff)
    response = client.get(reverse("admin:ratings_rating_change", args=[review.pk]))
    assert response.status_code == 200
    assert 'name="stars"' not in response.content.decode()
