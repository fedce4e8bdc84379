"""Learners report reviews that break the rules; moderators work through the queue."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ratings import services
from ratings.models import Rating, ReviewReport
from tests.factories import CourseFactory, UserFactory
from tests.ratings.factories import rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(other_learner):
    return rate(CourseFactory(), 1, user=other_learner, title="Buy cheap watches here")


def report_url(review):
    return reverse("ratings:report", args=[review.pk])


def list_url(review):
    return reverse("ratings:list", args=[review.course.slug])


def test_a_learner_reports_a_review_with_a_reason(learner, review):
    report = services.report_review(user=learner, rating=review, reason="spam", details="Ads")
    assert (report.reporter, report.reason, report.details, report.status) == (
        learner,
        "spam",
        "Ads",
        ReviewReport.Status.OPEN,
    )


def test_reporting_the_same_review_twice_is_refused_with_a_message(learner, review):
    services.report_review(user=learner, rating=review, reason="spam")
    with pytest.raises(ValidationError, match="already reported"):
        services.report_review(user=learner, rating=review, reason="offensive")
    assert ReviewReport.objects.count() == 1


def test_the_author_cannot_report_their_own_review(other_learner, review):
    with pytest.raises(ValidationError, match="your own review"):
        services.report_review(user=other_learner, rating=review, reason="spam")
    assert not ReviewReport.objects.exists()


def test_a_reason_from_the_list_is_required(learner, review):
    with pytest.raises(ValidationError, match="Choose why"):
        services.report_review(user=learner, rating=review, reason="because")


def test_something_else_needs_details(learner, review):
    with pytest.raises(ValidationError, match="what is wrong"):
        services.report_review(user=learner, rating=review, reason="other", details="  ")


def test_a_hidden_review_cannot_be_reported(learner, staff, review):
    services.hide_review(rating=review, by=staff, reason="Spam")
    with pytest.raises(ValidationError, match="no longer shown"):
        services.report_review(user=learner, rating=review, reason="spam")


def test_reports_are_rate_limited_per_learner(learner, monkeypatch):
    monkeypatch.setattr(services, "REPORT_RATE_LIMIT", 2)
    course = CourseFactory()
    reviews = [rate(course, 3) for _ in range(3)]
    services.report_review(user=learner, rating=reviews[0], reason="spam")
    services.report_review(user=learner, rating=reviews[1], reason="spam")
    with pytest.raises(ValidationError, match="many reports"):
        services.report_review(user=learner, rating=reviews[2], reason="spam")
    # Another learner has their own allowance.
    services.report_review(user=UserFactory(), rating=reviews[2], reason="spam")


def test_hiding_a_review_closes_its_open_reports(learner, staff, review):
    services.report_review(user=learner, rating=review, reason="spam")
    services.hide_review(rating=review, by=staff, reason="Spam")
    report = ReviewReport.objects.get()
    assert (report.status, report.resolved_by) == (ReviewReport.Status.REVIEW_HIDDEN, staff)


# --- Pages ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, review):
    response = client.get(report_url(review))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client.post(report_url(review), {"reason": "spam"})
    assert response.status_code == 302
    assert not ReviewReport.objects.exists()


def test_the_reviews_page_links_to_report_other_peoples_reviews(client, learner, review):
    client.force_login(learner)
    page = client.get(list_url(review)).content.decode()
    assert report_url(review) in page


def test_the_author_sees_no_report_link_on_their_review(client, other_learner, review):
    client.force_login(other_learner)
    assert report_url(review) not in client.get(list_url(review)).content.decode()
    page = client.get(report_url(review)).content.decode()
    assert "you cannot report it" in page
    assert 'name="reason"' not in page


def test_reporting_without_javascript_returns_to_the_reviews(client, learner, review):
    client.force_login(learner)
    page = client.get(report_url(review)).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'<label for="report-{review.pk}-reason_0">' in page

    response = client.post(report_url(review), {"reason": "spam", "next": list_url(review)})

    assert response.status_code == 302
    assert response.url == list_url(review)
    assert "the moderators will look at this review" in client.get(response.url).content.decode()
    assert ReviewReport.objects.get().reason == "spam"


def test_a_report_without_a_reason_shows_the_form_again(client, learner, review):
    client.force_login(learner)
    response = client.post(report_url(review), {"details": "bad"})
    assert response.status_code == 200
    assert "Choose why you are reporting this review." in response.content.decode()
    assert not ReviewReport.objects.exists()


def test_reporting_twice_on_the_page_is_a_message_not_an_error(client, learner, review):
    client.force_login(learner)
    client.post(report_url(review), {"reason": "spam"})
    response = client.post(report_url(review), {"reason": "offensive"})
    assert response.status_code == 200
    assert "already reported this review" in response.content.decode()
    assert ReviewReport.objects.count() == 1


def test_htmx_gets_the_form_and_the_thank_you_in_place(client, learner, review):
    client.force_login(learner)
    form = client.get(report_url(review), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in form
    assert "hx-post" in form

    response = client.post(report_url(review), {"reason": "spam"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "the moderators will look at this review" in response.content.decode()


def test_the_form_refuses_a_post_without_csrf(learner, review):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(report_url(review), {"reason": "spam"}).status_code == 403
    assert not ReviewReport.objects.exists()


def test_a_review_that_is_not_public_is_not_found(client, learner, staff, review):
    services.hide_review(rating=review, by=staff, reason="Spam")
    client.force_login(learner)
    assert client.get(report_url(review)).status_code == 404
    assert client.get(reverse("ratings:report", args=[999999])).status_code == 404


# --- The moderation queue -------------------------------------------------------------------


def test_the_queue_shows_reports_and_filters_by_status(client, staff, learner, review):
    services.report_review(user=learner, rating=review, reason="spam", details="Watch ads")
    client.force_login(staff)
    queue = reverse("admin:ratings_reviewreport_changelist")

    page = client.get(queue, {"status__exact": "open"}).content.decode()

    assert "Buy cheap watches here" in page
    assert "Spam or advertising" in page
    assert learner.email in page
    assert (
        "Buy cheap watches here"
        not in client.get(queue, {"status__exact": "dismissed"}).content.decode()
    )


def test_learners_cannot_open_the_queue(client, learner):
    client.force_login(learner)
    response = client.get(reverse("admin:ratings_reviewreport_changelist"))
    assert response.status_code == 302


def test_dismissing_reports_keeps_the_review(client, staff, learner, review):
    report = services.report_review(user=learner, rating=review, reason="spam")
    client.force_login(staff)
    response = client.post(
        reverse("admin:ratings_reviewreport_changelist"),
        {"action": "dismiss_reports", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "Dismissed 1 report." in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.resolved_by) == (ReviewReport.Status.DISMISSED, staff)
    assert not Rating.objects.get(pk=review.pk).is_hidden


def test_hiding_from_the_queue_asks_for_a_reason_then_hides(client, staff, learner, review):
    report = services.report_review(user=learner, rating=review, reason="spam")
    client.force_login(staff)
    queue = reverse("admin:ratings_reviewreport_changelist")
    data = {"action": "hide_reported_reviews", "_selected_action": [report.pk]}

    ask = client.post(queue, data)
    assert ask.status_code == 200
    assert "Buy cheap watches here" in ask.content.decode()

    done = client.post(queue, {**data, "apply": "1", "reason": "Spam"}, follow=True)

    assert "Hid 1 review." in done.content.decode()
    review.refresh_from_db()
    assert (review.is_hidden, review.hidden_reason) == (True, "Spam")
    report.refresh_from_db()
    assert report.status == ReviewReport.Status.REVIEW_HIDDEN


def test_a_reported_review_shows_its_reports_in_the_rating_admin(client, staff, learner, review):
    services.report_review(user=learner, rating=review, reason="offensive", details="Rude")
    client.force_login(staff)
    page = client.get(reverse("admin:ratings_rating_change", args=[review.pk])).content.decode()
    assert "Rude" in page
