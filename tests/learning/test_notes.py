"""Private notes (add, list, edit, delete, Markdown export) and bookmarks."""

import pytest
from django.urls import reverse

from learning.models import Bookmark, Note
from learning.notes import services
from learning.notes.forms import parse_time
from learning.services import revoke_enrollment
from tests.factories import UserFactory
from tests.learning.qa_helpers import qa_course, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(learner, other_learner):
    return qa_course(learner, other_learner)


def lesson_url(lesson):
    return reverse("learning:lesson", args=[lesson.course.slug, lesson.slug])


@pytest.mark.parametrize(
    ("typed", "seconds"), [("", None), ("01:15", 75), ("1:15", 75), ("90", 90), ("1:02:03", 3723)]
)
def test_video_time_is_read_as_mm_ss(typed, seconds):
    assert parse_time(typed) == seconds


def test_learner_adds_a_note_at_a_video_time(client, setup, learner):
    course, lesson = setup
    client.force_login(learner)
    response = client.post(
        url("add_note", course, lesson.slug), {"body": "Remember *this*", "time": "02:05"}
    )
    assert response.url == lesson_url(lesson) + "#notes"
    note = Note.objects.get()
    assert (note.user, note.lesson, note.course, note.video_seconds) == (
        learner,
        lesson,
        course,
        125,
    )
    html = client.get(lesson_url(lesson)).content.decode()
    assert 'href="#t=125" data-seek="125">At 02:05</a>' in html
    assert "<em>this</em>" in html


def test_a_malformed_time_gets_a_form_error(client, setup, learner):
    course, lesson = setup
    client.force_login(learner)
    response = client.post(url("add_note", course, lesson.slug), {"body": "x", "time": "2m"})
    assert response.status_code == 400
    assert "mm:ss" in response.content.decode()
    assert not Note.objects.exists()


def test_notes_are_only_ever_shown_to_their_owner(client, setup, learner, other_learner):
    course, lesson = setup
    note = services.add_note(user=learner, lesson=lesson, body="Alice's secret")
    client.force_login(other_learner)
    assert "Alice's secret" not in client.get(lesson_url(lesson)).content.decode()
    assert "Alice's secret" not in client.get(url("my_notes", course)).content.decode()
    assert "Alice's secret" not in client.get(url("export_notes", course)).content.decode()
    assert client.get(url("edit_note", course, note.pk)).status_code == 404
    data = {"body": "changed"}
    assert client.post(url("edit_note", course, note.pk), data).status_code == 404
    assert client.post(url("delete_note", course, note.pk)).status_code == 404
    note.refresh_from_db()
    assert note.body == "Alice's secret"


def test_staff_do_not_see_learners_notes(client, setup, learner, staff):
    course, lesson = setup
    services.add_note(user=learner, lesson=lesson, body="Alice's secret")
    client.force_login(staff)
    assert "Alice's secret" not in client.get(url("my_notes", course)).content.decode()


def test_my_notes_lists_the_course_notes_in_lesson_order(client, setup, learner):
    course, first = setup
    second = first.section.lessons.exclude(pk=first.pk).get()
    services.add_note(user=learner, lesson=second, body="Second lesson note")
    services.add_note(user=learner, lesson=first, body="Late", video_seconds=300)
    services.add_note(user=learner, lesson=first, body="Early", video_seconds=10)
    client.force_login(learner)
    html = client.get(url("my_notes", course)).content.decode()
    assert html.index("Early") < html.index("Late") < html.index("Second lesson note")


def test_export_is_one_markdown_attachment(client, setup, learner):
    course, lesson = setup
    services.add_note(user=learner, lesson=lesson, body="Joins **matter**", video_seconds=65)
    client.force_login(learner)
    response = client.get(url("export_notes", course))
    assert response["Content-Type"].startswith("text/markdown")
    assert response["Content-Disposition"] == f'attachment; filename="notes-{course.slug}.md"'
    text = response.content.decode()
    assert text.startswith(f"# My notes: {course.title}")
    assert f"## {lesson.title}" in text
    assert "**At 01:05**" in text
    assert "Joins **matter**" in text


def test_owner_edits_and_deletes_a_note(client, setup, learner):
    course, lesson = setup
    note = services.add_note(user=learner, lesson=lesson, body="Draft")
    client.force_login(learner)
    client.post(url("edit_note", course, note.pk), {"body": "Final", "time": "00:30"})
    note.refresh_from_db()
    assert (note.body, note.video_seconds) == ("Final", 30)
    client.post(url("delete_note", course, note.pk))
    assert not Note.objects.exists()


def test_learner_without_access_cannot_add_notes(client, setup):
    course, lesson = setup
    client.force_login(UserFactory())
    response = client.post(url("add_note", course, lesson.slug), {"body": "x"})
    assert response.status_code == 404
    assert client.get(url("my_notes", course)).status_code == 404
    assert not Note.objects.exists()


def test_refunded_learner_keeps_reading_and_exporting_own_notes(client, setup, learner):
    course, lesson = setup
    services.add_note(user=learner, lesson=lesson, body="Mine to keep")
    revoke_enrollment(user=learner, course=course, reason="Refunded")
    client.force_login(learner)
    assert "Mine to keep" in client.get(url("my_notes", course)).content.decode()
    assert "Mine to keep" in client.get(url("export_notes", course)).content.decode()
    response = client.post(url("add_note", course, lesson.slug), {"body": "More"})
    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login_for_notes(client, setup):
    course, _ = setup
    response = client.get(url("my_notes", course))
    assert response.status_code == 302 and "/accounts/login/" in response.url


# Bookmarks


def test_bookmark_toggles_and_shows_in_my_learning(client, setup, learner):
    course, lesson = setup
    client.force_login(learner)
    client.post(url("toggle_bookmark", course, lesson.slug))
    assert Bookmark.objects.filter(user=learner, lesson=lesson).exists()
    html = client.get(reverse("learning:my_learning")).content.decode()
    assert "Bookmarked lessons" in html and lesson_url(lesson) in html
    client.post(url("toggle_bookmark", course, lesson.slug))
    assert not Bookmark.objects.exists()
    assert "Bookmarked lessons" not in client.get(reverse("learning:my_learning")).content.decode()


def test_bookmark_over_htmx_returns_the_button(client, setup, learner):
    course, lesson = setup
    client.force_login(learner)
    response = client.post(
        url("toggle_bookmark", course, lesson.slug), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'aria-pressed="true"' in html
    assert "data-hx-post=" in html and " hx-post=" not in html


def test_bookmark_needs_csrf(setup, learner):
    from django.test import Client

    course, lesson = setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(url("toggle_bookmark", course, lesson.slug)).status_code == 403
    assert not Bookmark.objects.exists()


def test_bookmarks_are_private_and_need_access(client, setup, learner, other_learner):
    course, lesson = setup
    services.toggle_bookmark(user=learner, lesson=lesson)
    client.force_login(other_learner)
    assert "Bookmarked lessons" not in client.get(reverse("learning:my_learning")).content.decode()
    client.force_login(UserFactory())
    assert client.post(url("toggle_bookmark", course, lesson.slug)).status_code == 404


def test_anonymous_bookmark_goes_to_login(client, setup):
    course, lesson = setup
    response = client.post(url("toggle_bookmark", course, lesson.slug))
    assert response.status_code == 302 and "/accounts/login/" in response.url
