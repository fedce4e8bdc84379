"""The profile page: display name, bio and avatar."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.accounts.conftest import image_upload

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = [
    "accounts:profile",
    "accounts:delete",
    "account_email",
    "account_change_password",
    "mfa_index",
    "mfa_activate_totp",
]


def save_profile(client, **data):
    fields = {"display_name": "Alice A.", "bio": "I like tables."}
    fields.update(data)
    return client.post(reverse("accounts:profile"), fields)


@pytest.mark.parametrize("url_name", ACCOUNT_PAGES)
def test_account_pages_send_anonymous_visitors_to_log_in(client, url_name):
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_profile_page_shows_the_learners_own_details_only(client, learner, other_learner):
    client.force_login(other_learner)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "bob@example.com" in page
    assert "alice@example.com" not in page


def test_learner_can_change_display_name_and_bio(client, learner):
    client.force_login(learner)

    response = save_profile(client, display_name="  Alice Liddell ", bio="Loves CSV files.")

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.display_name == "Alice Liddell"
    assert learner.bio == "Loves CSV files."
    assert "Your profile has been saved." in client.get(response.url).content.decode()


def test_bio_over_500_characters_gives_a_form_error(client, learner):
    client.force_login(learner)

    response = save_profile(client, bio="x" * 501)

    assert response.status_code == 200
    assert "Ensure this value has at most 500 characters" in response.content.decode()
    learner.refresh_from_db()
    assert learner.bio == ""


def test_display_name_is_escaped_on_the_page(client, learner):
    client.force_login(learner)
    save_profile(client, display_name="<script>alert(1)</script>")

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_avatar_is_stored_as_a_square_256px_jpeg(client, learner):
    client.force_login(learner)

    response = save_profile(client, avatar=image_upload(size=(800, 500)))

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.avatar.name.endswith(".jpg")
    with Image.open(learner.avatar.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (256, 256)
    assert learner.avatar.url in client.get(reverse("accounts:profile")).content.decode()


def test_a_webp_avatar_is_accepted(client, learner):
    client.force_login(learner)

    response = save_profile(client, avatar=image_upload("me.webp", fmt="WEBP"))

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.avatar


def test_a_new_avatar_replaces_the_old_file(client, learner, django_capture_on_commit_callbacks):
    client.force_login(learner)
    save_profile(client, avatar=image_upload())
    learner.refresh_from_db()
    old_path = Path(learner.avatar.path)

    with django_capture_on_commit_callbacks(execute=True):
        save_profile(client, avatar=image_upload("second.png"))

    learner.refresh_from_db()
    assert Path(learner.avatar.path).exists()
    assert Path(learner.avatar.path) != old_path
    assert not old_path.exists()


def test_learner_can_remove_their_avatar(client, learner, django_capture_on_commit_callbacks):
    client.force_login(learner)
    save_profile(client, avatar=image_upload())
    learner.refresh_from_db()
    old_path = Path(learner.avatar.path)
    assert "Remove my current picture" in client.get(reverse("accounts:profile")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        save_profile(client, remove_avatar="on")

    learner.refresh_from_db()
    assert not learner.avatar
    assert not old_path.exists()


def test_avatar_over_2_mb_gives_a_form_error(client, learner):
    client.force_login(learner)
    big = SimpleUploadedFile(
        "big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (settings.AVATAR_MAX_BYTES + 1), "image/png"
    )

    response = save_profile(client, avatar=big)

    assert response.status_code == 200
    assert "The image is too large: the limit is 2 MB." in response.content.decode()
    learner.refresh_from_db()
    assert not learner.avatar
    assert learner.display_name == "Alice"


def test_text_file_renamed_png_gives_a_form_error(client, learner):
    client.force_login(learner)
    fake = SimpleUploadedFile("notes.png", b"just some text, not a picture\n", "image/png")

    response = save_profile(client, avatar=fake)

    assert response.status_code == 200
    assert "That file is not an image we can read." in response.content.decode()
    learner.refresh_from_db()
    assert not learner.avatar


def test_truncated_image_gives_a_form_error(client, learner):
    client.force_login(learner)
    data = image_upload().read()
    broken = SimpleUploadedFile("broken.png", data[: len(data) // 2], "image/png")

    response = save_profile(client, avatar=broken)

    assert response.status_code == 200
    assert "That file is not an image we can read." in response.content.decode()


def test_image_in_an_unsupported_format_gives_a_form_error(client, learner):
    client.force_login(learner)
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, format="BMP")

    response = save_profile(client, avatar=SimpleUploadedFile("me.bmp", buffer.getvalue()))

    assert response.status_code == 200
    assert "Upload a JPEG, PNG, GIF or WebP image." in response.content.decode()


def test_image_with_huge_dimensions_gives_a_form_error(client, learner):
    client.force_login(learner)

    response = save_profile(client, avatar=image_upload(size=(5000, 10)))

    assert response.status_code == 200
    assert "at most 4096 pixels a side" in response.content.decode()
