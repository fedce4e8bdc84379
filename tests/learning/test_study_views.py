"""The study view: lesson content, sidebar, progress, mark complete, resume and enrolment."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from courses.video import embed_url
from learning import services
from learning.models import Enrollment, LessonProgress
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def lesson_url(lesson):
    return reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])


def complete_url(lesson):
    return reverse("learning:complete_lesson", args=[lesson.course.slug, lesson.slug])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def studying(client, learner):
    """A learner signed in and enrolled in a free course of four lessons."""
    course = course_with_lessons(4, price_amount=0)
    enrollment = EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    return enrollment


# Lesson page


def test_lesson_page_renders_markdown_body_and_marks_current_lesson(client, studying):
    lesson = lessons_of(studying.course)[1]
    html = client.get(lesson_url(lesson)).content.decode()
    assert "<strong>content</strong>" in html
    assert f'href="{lesson_url(lesson)}" aria-current="page"' in html


def test_lesson_page_links_to_previous_and_next_lessons(client, studying):
    first, second, third, _ = lessons_of(studying.course)
    html = client.get(lesson_url(second)).content.decode()
    assert f'rel="prev" href="{lesson_url(first)}"' in html
    assert f'rel="next" href="{lesson_url(third)}"' in html


def test_first_lesson_has_no_previous_link(client, studying):
    html = client.get(lesson_url(lessons_of(studying.course)[0])).content.decode()
    assert 'rel="prev"' not in html


def test_sidebar_ticks_completed_lessons_and_shows_progress(client, studying):
    first, second, *_ = lessons_of(studying.course)
    services.complete_lesson(enrollment=studying, lesson=first)
    html = client.get(lesson_url(second)).content.decode()
    assert "Completed: </span>Lesson 1" in html
    assert "Completed: </span>Lesson 2" not in html
    assert "25% complete" in html and 'aria-valuenow="25"' in html


def test_visiting_a_lesson_makes_it_the_resume_point(client, studying):
    third = lessons_of(studying.course)[2]
    client.get(lesson_url(third))
    studying.refresh_from_db()
    assert studying.last_lesson == third


def test_youtube_lesson_is_embedded_without_cookies_and_with_a_title(client, studying):
    lesson = lessons_of(studying.course)[0]
    lesson.kind, lesson.video_url = "video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    lesson.save()
    html = client.get(lesson_url(lesson)).content.decode()
    # The enrolled learner's player also speaks the IFrame API (video resume).
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1' in html
    assert f'title="Video: {lesson.title}"' in html


def test_video_from_an_unknown_host_is_a_plain_link(client, studying):
    lesson = lessons_of(studying.course)[0]
    lesson.kind, lesson.video_url = "video", "https://videos.example.com/intro.mp4"
    lesson.save()
    html = client.get(lesson_url(lesson)).content.decode()
    assert "<iframe" not in html
    assert 'href="https://videos.example.com/intro.mp4"' in html


def test_video_url_with_a_script_scheme_is_not_linked(client, studying):
    lesson = lessons_of(studying.course)[0]
    lesson.kind, lesson.video_url = "video", "javascript:alert(1)"
    lesson.save()
    html = client.get(lesson_url(lesson)).content.decode()
    assert "javascript:alert" not in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://www.youtube.com/watch?v=bad", None),
        (
            'https://www.youtube.com/embed/dQw4w9WgXcQ?x=1"onload',
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ", None),
    ],
)
def test_only_well_formed_youtube_and_vimeo_urls_are_embedded(url, expected):
    assert embed_url(url) == expected


def test_file_lesson_offers_a_download_with_its_size(client, studying):
    lesson = lessons_of(studying.course)[0]
    lesson.kind = "file"
    lesson.file.save("notebook.ipynb", ContentFile(b"x" * 2048), save=True)
    html = client.get(lesson_url(lesson)).content.decode()
    assert lesson.file.url in html
    assert "2.0\xa0KB" in html


def test_unknown_lesson_is_404(client, studying):
    url = reverse("learning:lesson", args=[studying.course.slug, "no-such-lesson"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("lessons", [3, 30])
def test_lesson_page_query_count_does_not_grow_with_lessons(
    client, learner, django_assert_num_queries, lessons
):
    course = course_with_lessons(lessons)
    enrollment = EnrollmentFactory(user=learner, course=course)
    for lesson in lessons_of(course)[: lessons // 2]:
        services.complete_lesson(enrollment=enrollment, lesson=lesson)
    url = reverse("learning:lesson", args=[course.slug, lessons_of(course)[1].slug])
    client.force_login(learner)
    # user, course, sections, lessons, enrollment, progress, lesson, visit (savepoint, update,
    # release), then the lesson's questions, the learner's notes and bookmark, announcements
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200


# Mark complete


def test_mark_complete_records_progress_and_goes_to_the_next_lesson(client, studying):
    first, second, *_ = lessons_of(studying.course)
    response = client.post(complete_url(first))
    assert response.status_code == 302
    assert response.url == lesson_url(second)
    assert LessonProgress.objects.filter(enrollment=studying, lesson=first).exists()


def test_marking_the_last_lesson_complete_stays_on_it(client, studying):
    last = lessons_of(studying.course)[-1]
    response = client.post(complete_url(last))
    assert response.url == lesson_url(last)


def test_marking_complete_twice_keeps_one_record(client, studying):
    first = lessons_of(studying.course)[0]
    client.post(complete_url(first))
    client.post(complete_url(first))
    assert LessonProgress.objects.filter(enrollment=studying).count() == 1


def test_undo_removes_the_completion(client, studying):
    first = lessons_of(studying.course)[0]
    services.complete_lesson(enrollment=studying, lesson=first)
    response = client.post(complete_url(first), {"undo": "1"})
    assert response.url == lesson_url(first)
    assert not LessonProgress.objects.exists()


def test_completed_lesson_shows_completed_and_an_undo_button(client, studying):
    first = lessons_of(studying.course)[0]
    services.complete_lesson(enrollment=studying, lesson=first)
    html = client.get(lesson_url(first)).content.decode()
    assert "Completed" in html and "Mark as not complete" in html


def test_mark_complete_with_htmx_returns_the_button_and_the_sidebar(client, studying):
    first = lessons_of(studying.course)[0]
    response = client.post(complete_url(first), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mark as not complete" in html
    assert 'id="course-outline"' in html and 'hx-swap-oob="true"' in html
    assert "25% complete" in html


def test_mark_complete_form_posts_with_csrf_and_htmx(client, studying):
    html = client.get(lesson_url(lessons_of(studying.course)[0])).content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert f'hx-post="{complete_url(lessons_of(studying.course)[0])}"' in html


def test_mark_complete_by_get_is_405(client, studying):
    assert client.get(complete_url(lessons_of(studying.course)[0])).status_code == 405


def test_anonymous_visitor_cannot_mark_complete(client):
    lesson = lessons_of(course_with_lessons(1))[0]
    response = client.post(complete_url(lesson))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not LessonProgress.objects.exists()


def test_other_learner_cannot_mark_complete(client, other_learner):
    lesson = lessons_of(course_with_lessons(1))[0]
    client.force_login(other_learner)
    response = client.post(complete_url(lesson))
    assert response.url == lesson.course.get_absolute_url()
    assert not LessonProgress.objects.exists()


def test_htmx_mark_complete_without_access_tells_htmx_to_load_the_course_page(
    client, other_learner
):
    lesson = lessons_of(course_with_lessons(1))[0]
    client.force_login(other_learner)
    response = client.post(complete_url(lesson), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == lesson.course.get_absolute_url()


# Resume


def test_resume_goes_to_the_first_lesson_before_any_progress(client, studying):
    response = client.get(reverse("learning:resume", args=[studying.course.slug]))
    assert response.url == lesson_url(lessons_of(studying.course)[0])


def test_resume_goes_to_the_lesson_after_the_last_completed(client, studying):
    first, second, third, _ = lessons_of(studying.course)
    client.post(complete_url(first))
    client.post(complete_url(second))
    response = client.get(reverse("learning:resume", args=[studying.course.slug]))
    assert response.url == lesson_url(third)


def test_resume_goes_to_the_last_lesson_visited(client, studying):
    fourth = lessons_of(studying.course)[3]
    client.get(lesson_url(fourth))
    response = client.get(reverse("learning:resume", args=[studying.course.slug]))
    assert response.url == lesson_url(fourth)


def test_resume_for_a_course_without_lessons_explains_why(client, learner):
    course = CourseFactory(price_amount=0)
    EnrollmentFactory(user=learner, course=course)
    client.force_login(learner)
    response = client.get(reverse("learning:resume", args=[course.slug]))
    assert response.url == course.get_absolute_url()
    assert "This course has no lessons yet." in messages_of(response)


def test_resume_requires_login(client):
    course = course_with_lessons(1)
    response = client.get(reverse("learning:resume", args=[course.slug]))
    assert response.url.startswith(reverse("account_login"))


def test_resume_sends_an_unenrolled_learner_to_the_course_page(client, other_learner):
    course = course_with_lessons(1)
    client.force_login(other_learner)
    response = client.get(reverse("learning:resume", args=[course.slug]))
    assert response.url == course.get_absolute_url()


# Free enrolment


def enroll_url(course):
    return reverse("learning:enroll", args=[course.slug])


def test_enrolling_in_a_free_course_opens_its_first_lesson(client, learner):
    course = course_with_lessons(2, price_amount=0)
    client.force_login(learner)
    response = client.post(enroll_url(course), follow=True)
    assert Enrollment.objects.filter(user=learner, course=course, source="free").exists()
    assert response.redirect_chain[-1][0] == lesson_url(lessons_of(course)[0])


def test_enrolling_twice_creates_one_enrollment(client, learner):
    course = course_with_lessons(1, price_amount=0)
    client.force_login(learner)
    client.post(enroll_url(course))
    response = client.post(enroll_url(course))
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1
    assert "You are already enrolled." in messages_of(response)


def test_enrolling_by_get_is_405(client, learner):
    client.force_login(learner)
    assert client.get(enroll_url(CourseFactory(price_amount=0))).status_code == 405
    assert not Enrollment.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in_before_enrolling(client):
    course = CourseFactory(price_amount=0)
    response = client.post(enroll_url(course))
    assert response.url.startswith(reverse("account_login"))
    assert not Enrollment.objects.exists()


def test_free_enrolment_in_a_paid_course_gives_a_message_and_no_enrollment(client, learner):
    course = CourseFactory(price_amount=4900)
    client.force_login(learner)
    response = client.post(enroll_url(course))
    assert response.url == course.get_absolute_url()
    assert "This course is paid: buy it to enrol." in messages_of(response)
    assert not Enrollment.objects.exists()


def test_enrolling_in_a_draft_course_is_404(client, learner):
    course = CourseFactory(status="draft", published_at=None, price_amount=0)
    client.force_login(learner)
    assert client.post(enroll_url(course)).status_code == 404


def test_enrolment_requires_a_csrf_token(learner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(enroll_url(CourseFactory(price_amount=0))).status_code == 403
    assert not Enrollment.objects.exists()


# My learning


def test_my_learning_lists_active_courses_most_recent_first(client, learner):
    older = course_with_lessons(2, title="Older course")
    newer = course_with_lessons(2, title="Newer course")
    for course in (older, newer):
        enrollment = EnrollmentFactory(user=learner, course=course)
        services.record_lesson_visit(enrollment=enrollment, lesson=lessons_of(course)[0])
    client.force_login(learner)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert html.index("Newer course") < html.index("Older course")


def test_my_learning_shows_progress_and_a_resume_link(client, learner):
    course = course_with_lessons(4)
    enrollment = EnrollmentFactory(user=learner, course=course)
    first, second, *_ = lessons_of(course)
    services.complete_lesson(enrollment=enrollment, lesson=first)
    client.force_login(learner)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "25% complete" in html
    assert f'href="{lesson_url(second)}" aria-describedby=' in html
    assert "Up next: Lesson 2" in html


def test_my_learning_leaves_out_revoked_courses(client, learner):
    course = course_with_lessons(1, title="Refunded course")
    EnrollmentFactory(user=learner, course=course)
    services.revoke_enrollment(user=learner, course=course, reason="refund")
    client.force_login(learner)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "Refunded course" not in html


def test_my_learning_does_not_show_another_learners_courses(client, learner, other_learner):
    EnrollmentFactory(user=learner, course=course_with_lessons(1, title="Alice's course"))
    client.force_login(other_learner)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "Alice&#x27;s course" not in html and "Alice's course" not in html
    assert reverse("courses:catalog") in html


def test_my_learning_requires_login(client):
    response = client.get(reverse("learning:my_learning"))
    assert response.url.startswith(reverse("account_login"))


def test_empty_my_learning_links_to_the_catalog(client, learner):
    client.force_login(learner)
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "You are not enrolled in any course yet." in html
    assert f'href="{reverse("courses:catalog")}"' in html


@pytest.mark.parametrize("courses", [2, 20])
def test_my_learning_query_count_does_not_grow_with_enrollments(
    client, learner, django_assert_num_queries, courses
):
    for _ in range(courses):
        course = course_with_lessons(3)
        enrollment = EnrollmentFactory(user=learner, course=course)
        services.complete_lesson(enrollment=enrollment, lesson=lessons_of(course)[0])
    client.force_login(learner)
    # user, enrollments with counts and resume lesson, bookmarks
    with django_assert_num_queries(3):
        assert client.get(reverse("learning:my_learning")).status_code == 200
