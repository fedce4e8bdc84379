"""Who may see and change what: another learner gets a 404 (or 403) for anything of Alice's,
an anonymous visitor is sent to log in, and staff pages refuse learners."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from blog.models import Comment
from learning.models import LessonProgress
from purchases.models import Order
from ratings.models import Rating
from tests.blog.factories import CommentFactory, PostFactory
from tests.factories import CourseFactory, EnrollmentFactory, LessonFactory, SectionFactory
from tests.purchases.factories import OrderFactory
from tests.ratings.factories import rate


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response.url).path == reverse(
        django_settings.LOGIN_URL
    )


@pytest.fixture
def paid_course(db):
    course = CourseFactory(slug="pandas", price_amount=4900)
    section = SectionFactory(course=course)
    LessonFactory(section=section, slug="paid-lesson", body="The secret sauce.")
    return course


@pytest.fixture
def alices_order(learner, paid_course):
    EnrollmentFactory(user=learner, course=paid_course, source="purchase")
    return OrderFactory(user=learner, course=paid_course, status="paid", paid_at=timezone.now())


@pytest.fixture
def alices_rating(learner, paid_course):
    return rate(paid_course, 4, user=learner, title="Mine")


@pytest.fixture
def alices_comment(learner):
    return CommentFactory(post=PostFactory(slug="hello"), author=learner, body="Alice wrote this")


# --- Orders --------------------------------------------------------------------------------


def test_another_learner_cannot_open_an_order(client, other_learner, alices_order):
    client.force_login(other_learner)
    response = client.get(reverse("purchases:order_detail", args=[alices_order.number]))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_asked_to_log_in_for_an_order(client, alices_order):
    response = client.get(reverse("purchases:order_detail", args=[alices_order.number]))
    assert is_login_redirect(response)


def test_another_learners_order_list_does_not_show_the_order(client, other_learner, alices_order):
    client.force_login(other_learner)
    response = client.get(reverse("purchases:orders"))
    assert response.status_code == 200
    assert alices_order.number not in response.content.decode()


def test_an_anonymous_visitor_is_asked_to_log_in_for_the_order_list(client, db):
    assert is_login_redirect(client.get(reverse("purchases:orders")))


def test_another_learner_cannot_use_a_checkout_return_link(client, other_learner, alices_order):
    client.force_login(other_learner)
    response = client.get(
        reverse("purchases:success"), {"session_id": alices_order.checkout_session_id}
    )
    assert response.status_code == 404


def test_another_learner_cannot_open_a_local_checkout(
    client, settings, learner, other_learner, paid_course
):
    settings.DEBUG = True
    settings.PAYMENTS_GATEWAY = "local"
    client.force_login(learner)
    client.post(reverse("purchases:checkout", args=[paid_course.slug]))
    order = Order.objects.get(user=learner)
    client.force_login(other_learner)
    response = client.get(reverse("purchases:local_pay", args=[order.checkout_session_id]))
    assert response.status_code == 404


# --- Paid lessons and learning -------------------------------------------------------------


def test_a_learner_who_did_not_buy_cannot_read_a_paid_lesson(
    client, other_learner, alices_order, paid_course
):
    client.force_login(other_learner)
    url = reverse("learning:lesson", args=[paid_course.slug, "paid-lesson"])
    response = client.get(url, follow=True)
    assert "The secret sauce." not in response.content.decode()
    assert response.redirect_chain[0][0] == paid_course.get_absolute_url()


def test_an_anonymous_visitor_is_asked_to_log_in_for_a_paid_lesson(client, paid_course):
    response = client.get(reverse("learning:lesson", args=[paid_course.slug, "paid-lesson"]))
    assert is_login_redirect(response)


def test_a_learner_who_did_not_buy_cannot_mark_a_paid_lesson_done(
    client, other_learner, alices_order, paid_course
):
    client.force_login(other_learner)
    client.post(reverse("learning:complete_lesson", args=[paid_course.slug, "paid-lesson"]))
    assert not LessonProgress.objects.exists()


def test_a_revoked_learner_cannot_read_the_lesson_any_more(client, learner, alices_order):
    learner.enrollments.update(revoked_at=timezone.now())
    client.force_login(learner)
    response = client.get(reverse("learning:lesson", args=["pandas", "paid-lesson"]), follow=True)
    assert "The secret sauce." not in response.content.decode()


def test_my_learning_shows_only_my_own_courses(client, other_learner, alices_order, paid_course):
    client.force_login(other_learner)
    response = client.get(reverse("learning:my_learning"))
    assert response.status_code == 200
    assert paid_course.title not in response.content.decode()


def test_an_anonymous_visitor_is_asked_to_log_in_for_my_learning(client, db):
    assert is_login_redirect(client.get(reverse("learning:my_learning")))


def test_a_draft_course_is_not_found_for_learners(client, learner):
    draft = CourseFactory(status="draft", published_at=None)
    client.force_login(learner)
    assert client.get(draft.get_absolute_url()).status_code == 404


# --- Ratings -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ratings:edit", "ratings:delete"])
def test_another_learner_cannot_open_a_rating_form(client, other_learner, alices_rating, name):
    client.force_login(other_learner)
    assert client.get(reverse(name, args=[alices_rating.pk])).status_code == 404


@pytest.mark.parametrize("name", ["ratings:edit", "ratings:delete"])
def test_an_anonymous_visitor_is_asked_to_log_in_for_a_rating_form(client, alices_rating, name):
    assert is_login_redirect(client.get(reverse(name, args=[alices_rating.pk])))


def test_another_learner_cannot_delete_a_rating(client, other_learner, alices_rating):
    client.force_login(other_learner)
    response = client.post(reverse("ratings:delete", args=[alices_rating.pk]))
    assert response.status_code == 404
    assert Rating.objects.filter(pk=alices_rating.pk).exists()


def test_another_learner_cannot_change_a_rating(client, other_learner, alices_rating):
    client.force_login(other_learner)
    response = client.post(reverse("ratings:edit", args=[alices_rating.pk]), {"stars": "1"})
    assert response.status_code == 404
    alices_rating.refresh_from_db()
    assert alices_rating.stars == 4


# --- Comments ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["blog:comment_edit", "blog:comment_delete"])
def test_another_learner_cannot_open_a_comment_form(client, other_learner, alices_comment, name):
    client.force_login(other_learner)
    assert client.get(reverse(name, args=[alices_comment.pk])).status_code == 404


@pytest.mark.parametrize("name", ["blog:comment_edit", "blog:comment_delete"])
def test_an_anonymous_visitor_is_asked_to_log_in_for_a_comment_form(client, alices_comment, name):
    assert is_login_redirect(client.get(reverse(name, args=[alices_comment.pk])))


def test_another_learner_cannot_edit_a_comment(client, other_learner, alices_comment):
    client.force_login(other_learner)
    response = client.post(
        reverse("blog:comment_edit", args=[alices_comment.pk]), {"body": "Hijacked"}
    )
    assert response.status_code == 404
    alices_comment.refresh_from_db()
    assert alices_comment.body == "Alice wrote this"


def test_another_learner_cannot_delete_a_comment(client, other_learner, alices_comment):
    client.force_login(other_learner)
    response = client.post(reverse("blog:comment_delete", args=[alices_comment.pk]))
    assert response.status_code == 404
    assert Comment.objects.filter(pk=alices_comment.pk, is_removed=False).exists()


@pytest.mark.parametrize("name", ["blog:comment_remove", "blog:comment_restore"])
def test_a_learner_cannot_moderate_comments(client, other_learner, alices_comment, name):
    client.force_login(other_learner)
    response = client.post(reverse(name, args=[alices_comment.pk]))
    assert response.status_code == 403
    assert Comment.objects.filter(pk=alices_comment.pk, is_removed=False).exists()


def test_a_draft_post_is_not_found_for_learners(client, learner):
    draft = PostFactory(status="draft")
    client.force_login(learner)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_learner_cannot_comment_on_a_draft_post(client, learner):
    draft = PostFactory(status="draft")
    client.force_login(learner)
    response = client.post(reverse("blog:comment_create", args=[draft.slug]), {"body": "Hi"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


# --- Account pages -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["accounts:profile", "accounts:delete", "account_email"])
def test_an_anonymous_visitor_is_asked_to_log_in_for_account_pages(client, db, name):
    assert is_login_redirect(client.get(reverse(name)))


def test_deleting_an_account_needs_its_password(client, learner):
    client.force_login(learner)
    client.post(reverse("accounts:delete"), {"password": "not-my-password"})
    learner.refresh_from_db()
    assert learner.is_active


# --- Staff pages ---------------------------------------------------------------------------

STAFF_PAGES = [
    "admin:index",
    "admin:purchases_order_changelist",
    "admin:purchases_order_sales",
    "admin:purchases_webhookevent_changelist",
    "admin:learning_enrollment_changelist",
    "admin:accounts_user_changelist",
    "admin:ratings_rating_changelist",
    "admin:blog_comment_changelist",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_learner_cannot_open_staff_pages(client, learner, name):
    client.force_login(learner)
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("admin:login")


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_an_anonymous_visitor_cannot_open_staff_pages(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("admin:login")


def test_a_learner_cannot_see_a_draft_course_preview_that_staff_can(client, learner, staff):
    draft = CourseFactory(status="draft", published_at=None)
    client.force_login(staff)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.force_login(learner)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_learner_cannot_enrol_in_a_paid_course_for_free(client, other_learner, paid_course):
    client.force_login(other_learner)
    client.post(reverse("learning:enroll", args=[paid_course.slug]))
    assert not other_learner.enrollments.exists()


def test_a_learner_who_did_not_buy_cannot_rate_the_course(client, other_learner, paid_course):
    client.force_login(other_learner)
    client.post(reverse("ratings:rate", args=[paid_course.slug]), {"stars": "1"})
    assert not Rating.objects.exists()
