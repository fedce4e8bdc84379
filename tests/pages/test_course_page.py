"""The course page: what a visitor sees, the call to action, and a flat query count."""

import pytest
from django.urls import reverse

from learning import services
from learning.models import Enrollment
from learning.selectors import course_page
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def detail_url(course):
    return reverse("courses:detail", args=[course.slug])


def test_course_page_shows_description_outcomes_and_outline(client):
    course = course_with_lessons(
        4,
        title="Pandas in practice",
        description="Learn **dataframes**.",
        outcomes="Clean messy data\nJoin tables",
    )
    html = client.get(detail_url(course)).content.decode()
    assert "<h1>Pandas in practice</h1>" in html
    assert "<strong>dataframes</strong>" in html
    assert "<li>Clean messy data</li>" in html and "<li>Join tables</li>" in html
    assert "Lesson 4" in html and "7 min" in html


def test_course_description_is_sanitised(client):
    course = CourseFactory(description="Hi <script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get(detail_url(course)).content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


def test_course_page_shows_instructor_rating_and_price(client):
    instructor = UserFactory(display_name="Grace Hopper", bio="Wrote the first compiler.")
    course = CourseFactory(
        instructor=instructor, price_amount=4900, rating_average="4.50", rating_count=12
    )
    html = client.get(detail_url(course)).content.decode()
    assert "Grace Hopper" in html and "Wrote the first compiler." in html
    assert "4.5" in html and "12 ratings" in html
    assert "€49.00" in html


def test_preview_lessons_are_linked_for_anonymous_visitors(client):
    course = course_with_lessons(2)
    preview, locked = lessons_of(course)
    preview.is_preview = True
    preview.save()
    html = client.get(detail_url(course)).content.decode()
    assert reverse("learning:lesson", args=[course.slug, preview.slug]) in html
    assert reverse("learning:lesson", args=[course.slug, locked.slug]) not in html


def test_anonymous_visitor_is_asked_to_log_in_to_enrol(client):
    course = CourseFactory(price_amount=0)
    html = client.get(detail_url(course)).content.decode()
    assert "Log in to enrol" in html
    assert reverse("learning:enroll", args=[course.slug]) not in html


def test_learner_sees_an_enrol_form_for_a_free_course(client, learner):
    course = CourseFactory(price_amount=0)
    client.force_login(learner)
    html = client.get(detail_url(course)).content.decode()
    assert f'action="{reverse("learning:enroll", args=[course.slug])}"' in html
    assert "csrfmiddlewaretoken" in html


def test_learner_sees_a_buy_button_for_a_paid_course(client, learner):
    course = CourseFactory(price_amount=4900, currency="EUR")
    client.force_login(learner)
    html = client.get(detail_url(course)).content.decode()
    assert f'action="{reverse("purchases:checkout", args=[course.slug])}"' in html
    assert "Buy for €49.00" in html


def test_enrolled_learner_who_has_not_started_sees_start_learning(client, learner):
    course = course_with_lessons(2)
    EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    html = client.get(detail_url(course)).content.decode()
    assert "Start learning" in html
    assert reverse("learning:resume", args=[course.slug]) in html
    assert "Buy for" not in html


def test_enrolled_learner_with_progress_sees_continue_learning_and_percentage(client, learner):
    course = course_with_lessons(4)
    enrollment = EnrollmentFactory(user=learner, course=course)
    services.complete_lesson(enrollment=enrollment, lesson=lessons_of(course)[0])
    client.force_login(learner)
    html = client.get(detail_url(course)).content.decode()
    assert "Continue learning" in html
    assert "25% complete" in html


def test_revoked_learner_is_offered_to_buy_again(client, learner):
    course = CourseFactory(price_amount=4900)
    EnrollmentFactory(user=learner, course=course, source=Enrollment.Source.PURCHASE)
    services.revoke_enrollment(user=learner, course=course, reason="refund")
    client.force_login(learner)
    html = client.get(detail_url(course)).content.decode()
    assert "Your access to this course has ended." in html
    assert "Buy for €49.00" in html


def test_unknown_course_is_404(client):
    assert client.get(reverse("courses:detail", args=["no-such-course"])).status_code == 404


def test_draft_course_is_404_for_learners(client, learner):
    course = CourseFactory(status="draft", published_at=None)
    client.force_login(learner)
    assert client.get(detail_url(course)).status_code == 404


def test_draft_course_is_404_for_anonymous_visitors(client):
    course = CourseFactory(status="draft", published_at=None)
    assert client.get(detail_url(course)).status_code == 404


def test_staff_can_see_a_draft_course(client, staff):
    course = CourseFactory(status="draft", published_at=None, title="Work in progress")
    client.force_login(staff)
    response = client.get(detail_url(course))
    assert response.status_code == 200
    assert "Draft" in response.content.decode()


def test_outline_counts_only_this_learners_progress(learner, other_learner):
    course = course_with_lessons(4)
    mine = EnrollmentFactory(user=learner, course=course)
    theirs = EnrollmentFactory(user=other_learner, course=course)
    lessons = lessons_of(course)
    services.complete_lesson(enrollment=mine, lesson=lessons[0])
    for lesson in lessons:
        services.complete_lesson(enrollment=theirs, lesson=lesson)
    page = course_page(slug=course.slug, user=learner)
    assert page.completed_ids == {lessons[0].id}
    assert page.progress_percent == 25


def test_resume_lesson_is_the_first_lesson_before_any_progress(learner):
    course = course_with_lessons(3)
    EnrollmentFactory(user=learner, course=course)
    assert course_page(slug=course.slug, user=learner).resume_lesson == lessons_of(course)[0]


@pytest.mark.parametrize("lessons", [3, 30])
def test_course_page_query_count_does_not_grow_with_lessons_for_anonymous(
    client, django_assert_num_queries, lessons
):
    course = course_with_lessons(lessons, per_section=3)
    # course, sections, lessons, then the reviews section (ratings' tag: one query anonymous)
    with django_assert_num_queries(4):
        assert client.get(detail_url(course)).status_code == 200


@pytest.mark.parametrize("lessons", [3, 30])
def test_course_page_query_count_does_not_grow_with_lessons_for_a_learner(
    client, learner, django_assert_num_queries, lessons
):
    course = course_with_lessons(lessons, per_section=3)
    enrollment = EnrollmentFactory(user=learner, course=course)
    for lesson in lessons_of(course)[: lessons // 2]:
        services.complete_lesson(enrollment=enrollment, lesson=lesson)
    client.force_login(learner)
    # user, course, sections, lessons, enrollment, progress, then the reviews section (3)
    with django_assert_num_queries(9):
        assert client.get(detail_url(course)).status_code == 200
