"""Lesson files: kept out of public media and handed out only to those who may open the lesson."""

import importlib
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from courses import checks
from courses.models import Lesson
from learning import services
from tests.courses.study_helpers import course_with_lessons, lessons_of
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

DATA = b"city,sales\nBerlin,120\nParis,98\nLisbon,77\n" * 50


def file_url(lesson: Lesson) -> str:
    return reverse("learning:lesson_file", args=[lesson.course.slug, lesson.slug])


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response.url).path == reverse(
        settings.LOGIN_URL
    )


def attach(lesson: Lesson, name: str = "sales-2025.csv", data: bytes = DATA) -> Lesson:
    lesson.kind = Lesson.Kind.FILE
    lesson.file.save(name, ContentFile(data), save=True)
    return lesson


@pytest.fixture
def paid_lesson(learner):
    """The second lesson of a paid course, with a CSV attached; Alice bought the course."""
    course = course_with_lessons(3, price_amount=4900)
    EnrollmentFactory(user=learner, course=course, source="purchase")
    return attach(lessons_of(course)[1])


def assert_gets_the_file(response, name="sales-2025.csv", data=DATA, content_type="text/csv"):
    assert response.status_code == 200
    assert body_of(response) == data
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Accept-Ranges"] == "bytes"
    assert "private" in response["Cache-Control"]


# --- Who gets the bytes ---------------------------------------------------------------------


def test_enrolled_learner_downloads_the_file_with_its_original_name(client, learner, paid_lesson):
    client.force_login(learner)
    assert_gets_the_file(client.get(file_url(paid_lesson)))


def test_staff_downloads_the_file_without_an_enrollment(client, staff, paid_lesson):
    client.force_login(staff)
    assert_gets_the_file(client.get(file_url(paid_lesson)))


def test_anonymous_visitor_is_asked_to_log_in_and_gets_no_bytes(client, paid_lesson):
    response = client.get(file_url(paid_lesson))
    assert is_login_redirect(response)
    assert DATA not in response.content


def test_another_learner_gets_404(client, other_learner, paid_lesson):
    client.force_login(other_learner)
    response = client.get(file_url(paid_lesson))
    assert response.status_code == 404
    assert DATA not in response.content


def test_learner_whose_purchase_was_refunded_gets_404(client, learner, paid_lesson):
    services.revoke_enrollment(user=learner, course=paid_lesson.course, reason="Refunded")
    client.force_login(learner)
    assert client.get(file_url(paid_lesson)).status_code == 404


def test_learner_of_a_different_course_gets_404(client, other_learner, paid_lesson):
    other_course = course_with_lessons(1, price_amount=4900)
    EnrollmentFactory(user=other_learner, course=other_course)
    client.force_login(other_learner)
    assert client.get(file_url(paid_lesson)).status_code == 404
    # Nor through the other course's slug with this lesson's slug.
    crossed = reverse("learning:lesson_file", args=[other_course.slug, paid_lesson.slug])
    assert client.get(crossed).status_code == 404


def test_free_preview_lesson_file_is_open_to_anonymous_visitors_like_its_page(client, db):
    course = course_with_lessons(2, price_amount=4900)
    preview = attach(lessons_of(course)[0], "cheat-sheet.pdf", b"%PDF-1.4 tiny")
    preview.is_preview = True
    preview.save()
    assert client.get(preview.get_absolute_url()).status_code == 200
    assert_gets_the_file(
        client.get(file_url(preview)), "cheat-sheet.pdf", b"%PDF-1.4 tiny", "application/pdf"
    )


def test_file_of_a_draft_course_is_404_for_its_learner(client, learner, paid_lesson):
    paid_lesson.course.status = "draft"
    paid_lesson.course.save()
    client.force_login(learner)
    assert client.get(file_url(paid_lesson)).status_code == 404


def test_lesson_without_a_file_is_404(client, learner, paid_lesson):
    client.force_login(learner)
    plain = lessons_of(paid_lesson.course)[0]
    assert client.get(file_url(plain)).status_code == 404


def test_file_missing_on_disk_is_404_not_500(client, learner, paid_lesson):
    paid_lesson.file.storage.delete(paid_lesson.file.name)
    client.force_login(learner)
    assert client.get(file_url(paid_lesson)).status_code == 404


def test_download_refuses_post(client, learner, paid_lesson):
    client.force_login(learner)
    assert client.post(file_url(paid_lesson)).status_code == 405


# --- Where the file lives -------------------------------------------------------------------


def test_uploaded_file_is_stored_outside_media_root_under_an_unguessable_name(paid_lesson):
    path = Path(paid_lesson.file.path).resolve()
    assert path.read_bytes() == DATA
    assert path.is_relative_to(Path(settings.PROTECTED_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    folder, token, name = paid_lesson.file.name.split("/")
    assert (folder, name) == ("lessons", "sales-2025.csv")
    assert len(token) >= 32


def test_two_uploads_of_the_same_name_get_different_paths(paid_lesson):
    again = attach(lessons_of(paid_lesson.course)[2])
    assert again.file.name != paid_lesson.file.name
    assert again.file.original_name == paid_lesson.file.original_name


def test_old_public_media_path_serves_nothing(client, learner, paid_lesson):
    assert settings.SERVE_MEDIA
    client.force_login(learner)
    for path in [f"lesson-files/{paid_lesson.file.original_name}", paid_lesson.file.name]:
        assert client.get(f"{settings.MEDIA_URL}{path}").status_code == 404


def test_a_leftover_copy_in_public_media_is_not_served(client):
    leftover = Path(settings.MEDIA_ROOT) / "lesson-files" / "old.csv"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(DATA)
    for path in [
        "lesson-files/old.csv",
        "./lesson-files/old.csv",
        "covers/../lesson-files/old.csv",
    ]:
        assert client.get(f"{settings.MEDIA_URL}{path}").status_code == 404


def test_protected_storage_has_no_public_url(paid_lesson):
    with pytest.raises(ValueError):
        paid_lesson.file.storage.url(paid_lesson.file.name)
    assert paid_lesson.file.url == file_url(paid_lesson)


# --- Range requests (video seeking, resumed downloads) --------------------------------------


def get_range(client, lesson, header, **extra):
    return client.get(file_url(lesson), HTTP_RANGE=header, **extra)


def test_range_request_gets_206_with_the_slice(client, learner, paid_lesson):
    client.force_login(learner)
    response = get_range(client, paid_lesson, "bytes=5-14")
    assert response.status_code == 206
    assert body_of(response) == DATA[5:15]
    assert response["Content-Range"] == f"bytes 5-14/{len(DATA)}"
    assert response["Content-Length"] == "10"
    assert response["Content-Disposition"] == 'attachment; filename="sales-2025.csv"'


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=100-", slice(100, None)),
        ("bytes=-7", slice(-7, None)),
        ("bytes=0-999999", slice(0, None)),
        ("bytes=0-0", slice(0, 1)),
    ],
)
def test_open_suffix_and_overlong_ranges(client, learner, paid_lesson, header, expected):
    client.force_login(learner)
    response = get_range(client, paid_lesson, header)
    assert response.status_code == 206
    assert body_of(response) == DATA[expected]


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=20-10", "bytes=-0", "bytes=-"])
def test_unsatisfiable_range_gets_416(client, learner, paid_lesson, header):
    client.force_login(learner)
    response = get_range(client, paid_lesson, header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"
    assert DATA[:20] not in response.content


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "lines=1-2", "nonsense"])
def test_ranges_we_do_not_serve_get_the_whole_file(client, learner, paid_lesson, header):
    client.force_login(learner)
    response = get_range(client, paid_lesson, header)
    assert response.status_code == 200
    assert body_of(response) == DATA


def test_if_range_for_another_version_gets_the_whole_file(client, learner, paid_lesson):
    client.force_login(learner)
    stale = get_range(
        client, paid_lesson, "bytes=0-9", HTTP_IF_RANGE="Thu, 01 Jan 1970 00:00:00 GMT"
    )
    assert stale.status_code == 200
    assert body_of(stale) == DATA
    current = client.get(file_url(paid_lesson))["Last-Modified"]
    fresh = get_range(client, paid_lesson, "bytes=0-9", HTTP_IF_RANGE=current)
    assert fresh.status_code == 206


def test_range_request_from_another_learner_gets_404(client, other_learner, paid_lesson):
    client.force_login(other_learner)
    assert get_range(client, paid_lesson, "bytes=0-9").status_code == 404


# --- Behind nginx -------------------------------------------------------------------------


def test_x_accel_mode_hands_the_file_to_nginx_with_an_empty_body(
    client, learner, paid_lesson, settings
):
    settings.PROTECTED_FILES_X_ACCEL = True
    client.force_login(learner)
    response = client.get(file_url(paid_lesson))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-files/{paid_lesson.file.name}"
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="sales-2025.csv"'
    assert response.content == b""


def test_x_accel_mode_still_refuses_another_learner(client, other_learner, paid_lesson, settings):
    settings.PROTECTED_FILES_X_ACCEL = True
    client.force_login(other_learner)
    response = client.get(file_url(paid_lesson))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_x_accel_path_is_url_encoded(client, learner, paid_lesson, settings):
    settings.PROTECTED_FILES_X_ACCEL = True
    attach(paid_lesson, "Ümlaut report.csv")
    client.force_login(learner)
    response = client.get(file_url(paid_lesson))
    assert response["X-Accel-Redirect"].endswith("/%C3%9Cmlaut_report.csv")
    assert "filename*=utf-8''%C3%9Cmlaut_report.csv" in response["Content-Disposition"]


# --- The lesson page ----------------------------------------------------------------------


def test_lesson_page_links_to_the_download_view_with_name_and_size(client, learner, paid_lesson):
    client.force_login(learner)
    html = client.get(paid_lesson.get_absolute_url()).content.decode()
    assert f'href="{file_url(paid_lesson)}"' in html
    assert "sales-2025.csv" in html
    assert "(2.0\xa0KB)" in html
    assert settings.MEDIA_URL not in html


def test_video_file_plays_in_the_lesson_page(client, learner, paid_lesson):
    attach(paid_lesson, "walkthrough.mp4", b"\x00\x00\x00\x18ftypmp42")
    client.force_login(learner)
    html = client.get(paid_lesson.get_absolute_url()).content.decode()
    assert f'<video controls preload="metadata" src="{file_url(paid_lesson)}"' in html


# --- Moving files uploaded before (migration 0008) ------------------------------------------


def test_migration_moves_public_files_to_protected_storage_and_skips_missing_ones(
    paid_lesson, django_capture_on_commit_callbacks
):
    migration = importlib.import_module(
        "courses.migrations.0008_move_lesson_files_out_of_public_media"
    )
    old = Path(settings.MEDIA_ROOT) / "lesson-files" / "notebook.ipynb"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(b"{}")
    moved, missing = lessons_of(paid_lesson.course)[0], lessons_of(paid_lesson.course)[2]
    Lesson.objects.filter(pk=moved.pk).update(file="lesson-files/notebook.ipynb")
    Lesson.objects.filter(pk=missing.pk).update(file="lesson-files/gone.csv")

    with django_capture_on_commit_callbacks(execute=True):
        migration.protect_lesson_files(apps, None)

    moved.refresh_from_db()
    assert moved.file.name.startswith("lessons/")
    assert moved.file.original_name == "notebook.ipynb"
    assert Path(moved.file.path).read_bytes() == b"{}"
    assert not old.exists()
    missing.refresh_from_db()
    assert missing.file.name == "lesson-files/gone.csv"
    paid_lesson.refresh_from_db()
    assert paid_lesson.file.original_name == "sales-2025.csv"  # already protected: untouched


def test_command_moves_a_file_restored_after_the_migration_skipped_it(
    paid_lesson, django_capture_on_commit_callbacks
):
    lesson = lessons_of(paid_lesson.course)[0]
    Lesson.objects.filter(pk=lesson.pk).update(file="lesson-files/restored.csv")
    restored = Path(settings.MEDIA_ROOT) / "lesson-files" / "restored.csv"
    restored.parent.mkdir(parents=True, exist_ok=True)
    restored.write_bytes(DATA)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("protect_lesson_files", stdout=out)

    lesson.refresh_from_db()
    assert lesson.file.name.startswith("lessons/")
    assert lesson.file.read() == DATA
    assert not restored.exists()
    assert "Moved 1 lesson file(s)" in out.getvalue()


@pytest.mark.parametrize("inside", ["MEDIA_ROOT", "STATIC_ROOT"])
def test_system_check_refuses_protected_files_inside_a_public_folder(settings, tmp_path, inside):
    setattr(settings, inside, str(tmp_path))
    settings.PROTECTED_MEDIA_ROOT = str(tmp_path / "protected")
    assert [error.id for error in checks.protected_files_are_not_public(None)] == ["courses.E001"]


def test_system_check_accepts_a_folder_of_its_own():
    assert checks.protected_files_are_not_public(None) == []


# --- Staff upload in the admin --------------------------------------------------------------


def test_file_uploaded_in_the_admin_goes_to_protected_storage(client, staff, paid_lesson):
    lesson = lessons_of(paid_lesson.course)[0]
    client.force_login(staff)
    upload = SimpleUploadedFile("week 1 slides.pdf", b"%PDF-1.4 slides", "application/pdf")
    response = client.post(
        reverse("admin:courses_lesson_change", args=[lesson.pk]),
        {
            "section": lesson.section_id,
            "title": lesson.title,
            "slug": lesson.slug,
            "position": lesson.position,
            "kind": "file",
            "video_url": "",
            "body": lesson.body,
            "file": upload,
            "estimated_minutes": 5,
        },
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.file.original_name == "week_1_slides.pdf"
    assert Path(lesson.file.path).is_relative_to(Path(settings.PROTECTED_MEDIA_ROOT).resolve())
    html = client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    assert f'href="{file_url(lesson)}"' in html
    assert settings.MEDIA_URL not in html
