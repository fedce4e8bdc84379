"""A learner whose access ended (refund, lost dispute, support) no longer counts: their review
leaves the average and the public list, stays visible to staff marked why, and comes back when
access does."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from learning.models import Enrollment
from learning.services import revoke_enrollment
from purchases.gateways import CheckoutSession, ProviderRefund
from purchases.services.disputes import close_dispute, open_dispute
from purchases.services.fulfilment import fulfil_order
from purchases.services.refunds import apply_refund_update
from ratings import services
from ratings.models import Rating
from tests.factories import CourseFactory
from tests.purchases.factories import OrderFactory, session_object
from tests.ratings.factories import rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(price_amount=4900)


def buy(user, course):
    """A paid order, fulfilled the way the webhook task fulfils it."""
    order = OrderFactory(user=user, course=course)
    session = CheckoutSession.from_stripe(session_object(order))
    fulfil_order(order_id=order.pk, session=session, cause="checkout.session.completed")
    order.refresh_from_db()
    return order


def summary(course):
    course.refresh_from_db()
    return course.rating_average, course.rating_count


def reviews_page(client, course) -> str:
    return client.get(reverse("ratings:list", args=[course.slug])).content.decode()


def refund(order, refund_id: str, status: str, *, charge: str):
    """Stripe reports a full refund of the order in this state."""
    apply_refund_update(
        order_id=order.pk,
        refund=ProviderRefund(id=refund_id, amount=order.amount, status=status, charge=charge),
        charge_id=charge,
    )


@pytest.fixture
def refunded_review(course, learner):
    """Alice bought and rated 1 star, someone else rated 5; then Alice was fully refunded."""
    order = buy(learner, course)
    review = services.rate_course(user=learner, course=course, stars=1, title="Refund me")
    rate(course, 5, title="Loved it")
    refund(order, "re_1", "succeeded", charge="ch_1")
    return review


def test_a_full_refund_takes_the_learners_rating_out_of_the_average(course, refunded_review):
    assert summary(course) == (Decimal("5.00"), 1)


def test_a_refunded_learners_review_is_not_in_the_public_list(client, course, refunded_review):
    page = reviews_page(client, course)
    assert "Loved it" in page
    assert "Refund me" not in page
    assert Rating.objects.filter(pk=refunded_review.pk).exists()  # kept, not deleted


def test_a_lost_dispute_takes_the_learners_rating_out_of_the_average(course, learner):
    order = buy(learner, course)
    services.rate_course(user=learner, course=course, stars=1)
    rate(course, 4)
    open_dispute(order_id=order.pk)
    assert summary(course) == (Decimal("2.50"), 2)  # access is kept while a dispute is open
    close_dispute(order_id=order.pk, won=False)
    assert summary(course) == (Decimal("4.00"), 1)


def test_buying_again_after_a_refund_brings_the_rating_back(
    client, course, learner, refunded_review
):
    buy(learner, course)
    assert summary(course) == (Decimal("3.00"), 2)
    assert "Refund me" in reviews_page(client, course)


def test_support_revoke_and_grant_commands_move_the_average(course, learner):
    rate(course, 1, user=learner)
    rate(course, 5)
    call_command("revoke_enrollment", learner.email, course.slug, stdout=None)
    assert summary(course) == (Decimal("5.00"), 1)
    call_command("grant_enrollment", learner.email, course.slug, stdout=None)
    assert summary(course) == (Decimal("3.00"), 2)


def test_the_list_follows_the_enrollment_even_before_the_average_is_refreshed(
    client, course, learner
):
    # Visibility is read from the enrollment itself: a revoke that forgot to call ratings
    # still hides the review at once (only the stored average waits for a refresh).
    rate(course, 2, user=learner, title="Meh")
    revoke_enrollment(user=learner, course=course, reason="test")
    assert "Meh" not in reviews_page(client, course)
    services.refresh_course_rating(course=course)
    assert summary(course) == (Decimal("0.00"), 0)


def test_staff_see_a_refunded_learners_review_in_the_admin_marked_why(
    client, staff, refunded_review
):
    client.force_login(staff)
    changelist = reverse("admin:ratings_rating_changelist")

    page = client.get(changelist, {"public": "access"}).content.decode()
    assert "Refund me" in page
    assert "Loved it" not in page
    assert "the learner&#x27;s access ended (Order " in page

    detail = client.get(reverse("admin:ratings_rating_change", args=[refunded_review.pk]))
    assert "refunded" in detail.content.decode()


def test_the_author_is_told_why_their_review_is_not_shown(client, course, learner, refunded_review):
    client.force_login(learner)
    assert "Your access to this course has ended" in reviews_page(client, course)


def test_a_refunded_learners_review_cannot_be_marked_helpful(other_learner, refunded_review):
    with pytest.raises(ValidationError, match="no longer shown"):
        services.mark_helpful(user=other_learner, rating=refunded_review)


def test_revoking_a_learner_who_never_rated_changes_nothing(course, learner):
    rate(course, 4)
    order = buy(learner, course)
    refund(order, "re_2", "succeeded", charge="ch_2")
    assert summary(course) == (Decimal("4.00"), 1)
    assert not Enrollment.objects.get(user=learner, course=course).is_active


def test_a_refund_that_fails_later_brings_the_rating_back(course, learner, refunded_review):
    order = refunded_review.user.orders.get(course=course)
    refund(order, "re_1", "failed", charge="ch_1")
    assert Enrollment.objects.get(user=learner, course=course).is_active
    assert summary(course) == (Decimal("3.00"), 2)
