"""Course prerequisites: the course page says which course comes first, free enrolment and
checkout are refused until every lesson of it is done, and staff can still grant access."""

from io import StringIO

import pytest
import stripe
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from learning import services
from learning.models import Enrollment
from learning.prerequisites import has_completed
from purchases.models import Order
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import EnrollmentFactory
from tests.purchases.conftest import FakeStripe

pytestmark = pytest.mark.django_db


@pytest.fixture
def payments(settings):
    """Stripe's API answered by the purchases tests' fake, should checkout ever reach it."""
    settings.PAYMENTS_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    previous, stripe.default_http_client = stripe.default_http_client, FakeStripe()
    yield
    stripe.default_http_client = previous


@pytest.fixture
def basics(db):
    return course_with_lessons(3, price_amount=0, title="SQL Basics", slug="sql-basics")


def advanced(basics, **fields):
    return course_with_lessons(
        2, title="Advanced SQL", slug="advanced-sql", prerequisite=basics, **fields
    )


def complete_all(user, course):
    enrollment = EnrollmentFactory(user=user, course=course)
    for lesson in lessons_of(course):
        services.complete_lesson(enrollment=enrollment, lesson=lesson)
    return enrollment


def messages_of(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# Completed means every lesson


def test_a_course_is_completed_only_when_every_lesson_is_done(learner, basics):
    enrollment = EnrollmentFactory(user=learner, course=basics)
    first, second, third = lessons_of(basics)
    services.complete_lesson(enrollment=enrollment, lesson=first)
    services.complete_lesson(enrollment=enrollment, lesson=second)
    assert not has_completed(user=learner, course=basics)
    services.complete_lesson(enrollment=enrollment, lesson=third)
    assert has_completed(user=learner, course=basics)


def test_another_learners_progress_does_not_count(learner, other_learner, basics):
    complete_all(other_learner, basics)
    assert not has_completed(user=learner, course=basics)


# The course page


def test_course_page_says_which_course_to_complete_first_with_a_link(client, learner, basics):
    course = advanced(basics, price_amount=0)
    client.force_login(learner)
    html = client.get(course.get_absolute_url()).content.decode()
    assert f'Complete <a href="{basics.get_absolute_url()}">SQL Basics</a> first' in html
    assert reverse("learning:enroll", args=[course.slug]) not in html


def test_course_page_tells_anonymous_visitors_about_the_prerequisite(client, basics):
    course = advanced(basics)
    html = client.get(course.get_absolute_url()).content.decode()
    assert f'Requires <a href="{basics.get_absolute_url()}">SQL Basics</a>' in html


def test_course_page_offers_enrolment_once_the_prerequisite_is_completed(client, learner, basics):
    course = advanced(basics, price_amount=0)
    complete_all(learner, basics)
    client.force_login(learner)
    html = client.get(course.get_absolute_url()).content.decode()
    assert "(completed)" in html
    assert reverse("learning:enroll", args=[course.slug]) in html


def test_course_page_offers_buying_once_the_prerequisite_is_completed(client, learner, basics):
    course = advanced(basics, price_amount=4900)
    complete_all(learner, basics)
    client.force_login(learner)
    html = client.get(course.get_absolute_url()).content.decode()
    assert reverse("purchases:checkout", args=[course.slug]) in html


# Free enrolment and checkout


def test_free_enrolment_is_refused_with_a_clear_message(client, learner, basics):
    course = advanced(basics, price_amount=0)
    client.force_login(learner)
    response = client.post(reverse("learning:enroll", args=[course.slug]))
    assert response.status_code == 302 and response.url == course.get_absolute_url()
    assert "Complete “SQL Basics” first" in messages_of(response)
    assert not Enrollment.objects.filter(user=learner, course=course).exists()


def test_free_enrolment_works_after_completing_the_prerequisite(client, learner, basics):
    course = advanced(basics, price_amount=0)
    complete_all(learner, basics)
    client.force_login(learner)
    client.post(reverse("learning:enroll", args=[course.slug]))
    assert Enrollment.objects.filter(user=learner, course=course).exists()


def test_checkout_is_refused_with_a_clear_message_and_no_order(client, learner, basics, payments):
    course = advanced(basics, price_amount=4900)
    client.force_login(learner)
    response = client.post(reverse("purchases:checkout", args=[course.slug]))
    assert response.status_code == 302 and response.url == course.get_absolute_url()
    assert "Complete “SQL Basics” first" in messages_of(response)
    assert not Order.objects.exists()


def test_checkout_starts_after_completing_the_prerequisite(client, learner, basics, payments):
    course = advanced(basics, price_amount=4900)
    complete_all(learner, basics)
    client.force_login(learner)
    response = client.post(reverse("purchases:checkout", args=[course.slug]))
    assert response.status_code == 303
    assert Order.objects.filter(user=learner, course=course).exists()


def test_a_payment_already_taken_is_honoured(learner, basics):
    course = advanced(basics, price_amount=4900)
    enrollment = services.enroll(user=learner, course=course, source=Enrollment.Source.PURCHASE)
    assert enrollment.is_active


def test_the_service_refuses_free_enrolment_too(learner, basics):
    course = advanced(basics, price_amount=0)
    with pytest.raises(ValidationError, match="SQL Basics"):
        services.enroll(user=learner, course=course, source=Enrollment.Source.FREE)


def test_staff_grant_enrollment_overrides_the_prerequisite(learner, basics):
    course = advanced(basics, price_amount=4900)
    out = StringIO()
    call_command("grant_enrollment", learner.email, course.slug, stdout=out)
    assert "Granted" in out.getvalue()
    assert Enrollment.objects.get(user=learner, course=course).source == "admin"


def test_a_course_cannot_be_its_own_prerequisite(basics):
    from django.db import IntegrityError

    basics.prerequisite = basics
    with pytest.raises(IntegrityError):
        basics.save()
