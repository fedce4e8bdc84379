"""Video position resume: the beacon that saves where the learner stopped, its validation and
authorization, completion at 90 %, and the player starting at the saved second."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from learning.models import LessonProgress, VideoPosition
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def position_url(lesson):
    return reverse("learning:video_position", args=[lesson.course.slug, lesson.slug])


def lesson_url(lesson):
    return reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])


@pytest.fixture
def watching(client, learner):
    """An enrolled learner on a YouTube lesson of a paid course."""
    course = course_with_lessons(3, price_amount=4900)
    enrollment = EnrollmentFactory(user=learner, course=course, source="purchase")
    lesson = lessons_of(course)[0]
    lesson.kind, lesson.video_url = "video", YOUTUBE
    lesson.save()
    client.force_login(learner)
    return enrollment, lesson


def send(client, lesson, position="42.5", duration="600"):
    return client.post(position_url(lesson), {"position": position, "duration": duration})


def test_the_position_is_saved(client, watching):
    enrollment, lesson = watching
    assert send(client, lesson).status_code == 204
    saved = VideoPosition.objects.get(enrollment=enrollment, lesson=lesson)
    assert (saved.position_seconds, saved.duration_seconds) == (42.5, 600)


def test_a_later_position_replaces_the_earlier_one(client, watching):
    _, lesson = watching
    send(client, lesson, "10")
    send(client, lesson, "75")
    assert VideoPosition.objects.get().position_seconds == 75


@pytest.mark.parametrize(
    ("position", "duration"),
    [
        ("-1", "600"),
        ("NaN", "600"),
        ("nan", "600"),
        ("inf", "600"),
        ("606", "600"),  # past the end and the slack
        ("ten", "600"),
        ("", "600"),
        ("10", "0"),
        ("10", "-5"),
        ("10", "Infinity"),
        ("10", "1e12"),
        ("1e400", "600"),
    ],
)
def test_implausible_numbers_are_a_400_and_save_nothing(client, watching, position, duration):
    _, lesson = watching
    assert send(client, lesson, position, duration).status_code == 400
    assert not VideoPosition.objects.exists()


def test_missing_fields_are_a_400(client, watching):
    _, lesson = watching
    assert client.post(position_url(lesson), {}).status_code == 400


def test_a_position_just_past_the_end_is_kept_at_the_end(client, watching):
    _, lesson = watching
    assert send(client, lesson, "602", "600").status_code == 204
    assert VideoPosition.objects.get().position_seconds == 600


def test_only_post_is_allowed(client, watching):
    _, lesson = watching
    assert client.get(position_url(lesson)).status_code == 405


def test_a_learner_without_the_course_gets_404(client, watching, other_learner):
    _, lesson = watching
    client.force_login(other_learner)
    assert send(client, lesson).status_code == 404
    assert not VideoPosition.objects.exists()


def test_an_anonymous_visitor_gets_404_not_a_login_page(watching):
    _, lesson = watching
    assert send(Client(), lesson).status_code == 404


def test_a_revoked_learner_gets_404(client, watching, learner):
    enrollment, lesson = watching
    from learning.services import revoke_enrollment

    revoke_enrollment(user=learner, course=enrollment.course, reason="refund")
    assert send(client, lesson).status_code == 404


def test_a_lesson_without_a_video_gets_404(client, watching):
    enrollment, _ = watching
    text_lesson = lessons_of(enrollment.course)[1]
    assert send(client, text_lesson).status_code == 404


def test_an_unknown_lesson_gets_404(client, watching):
    enrollment, _ = watching
    url = reverse("learning:video_position", args=[enrollment.course.slug, "no-such-lesson"])
    assert client.post(url, {"position": "1", "duration": "2"}).status_code == 404


def test_the_beacon_needs_the_csrf_token_in_the_body(learner, watching):
    _, lesson = watching
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(lesson_url(lesson))  # sets the CSRF cookie, as the lesson page does
    assert send(client, lesson).status_code == 403
    token = client.cookies["csrftoken"].value
    response = client.post(
        position_url(lesson),
        {"position": "12", "duration": "600", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 204


# Completion at 90 %


def test_watching_90_percent_completes_the_lesson(client, watching):
    enrollment, lesson = watching
    send(client, lesson, "539", "600")
    assert not LessonProgress.objects.filter(enrollment=enrollment).exists()
    send(client, lesson, "540", "600")
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).exists()


def test_a_completed_lesson_is_not_completed_again(client, watching):
    enrollment, lesson = watching
    send(client, lesson, "580", "600")
    first = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson).completed_at
    send(client, lesson, "590", "600")
    assert LessonProgress.objects.get(enrollment=enrollment, lesson=lesson).completed_at == first


def test_a_graded_lesson_is_not_completed_by_watching(client, watching):
    enrollment, lesson = watching
    lesson.kind, lesson.video_url = "quiz", ""  # a quiz that opens with a short video
    lesson.file.save("intro.mp4", ContentFile(b"\x00" * 64), save=True)
    send(client, lesson, "600", "600")
    assert not LessonProgress.objects.filter(enrollment=enrollment).exists()


# The player starts where the learner stopped


def test_youtube_player_starts_at_the_saved_second_and_speaks_the_api(client, watching):
    _, lesson = watching
    send(client, lesson, "125.7", "600")
    html = client.get(lesson_url(lesson)).content.decode()
    src = "embed/dQw4w9WgXcQ?enablejsapi=1&amp;origin=http%3A%2F%2Ftestserver&amp;start=125"
    assert src in html
    assert 'data-start="125.7"' in html
    assert f'data-position-url="{position_url(lesson)}"' in html
    assert "js/video-resume" in html


def test_vimeo_player_starts_at_the_saved_second(client, watching):
    _, lesson = watching
    lesson.video_url = "https://vimeo.com/76979871"
    lesson.save()
    send(client, lesson, "61", "300")
    html = client.get(lesson_url(lesson)).content.decode()
    assert 'src="https://player.vimeo.com/video/76979871#t=61s"' in html


def test_uploaded_video_starts_at_the_saved_second(client, watching):
    _, lesson = watching
    lesson.kind, lesson.video_url = "file", ""
    lesson.file.save("intro.webm", ContentFile(b"\x1a\x45\xdf\xa3" * 16), save=True)
    send(client, lesson, "3.5", "10")
    html = client.get(lesson_url(lesson)).content.decode()
    file_url = reverse("learning:lesson_file", args=[lesson.course.slug, lesson.slug])
    assert f'src="{file_url}#t=3.5"' in html
    assert 'data-start="3.5"' in html


def test_a_finished_video_starts_over(client, watching):
    _, lesson = watching
    send(client, lesson, "599", "600")
    html = client.get(lesson_url(lesson)).content.decode()
    assert 'data-start="0.0"' in html
    assert "start=" not in html.split("youtube-nocookie.com/embed/")[1].split('"')[0]


def test_a_visitor_on_a_free_preview_gets_a_plain_player(watching):
    _, lesson = watching
    lesson.is_preview = True
    lesson.save()
    html = Client().get(lesson_url(lesson)).content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "data-video-resume" not in html and "video-resume.js" not in html
