"""Staff find people in the admin."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_can_list_users(client, staff, learner, other_learner):
    client.force_login(staff)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "alice@example.com" in page
    assert "bob@example.com" in page


def test_staff_can_search_users_by_email_or_display_name(client, staff, learner, other_learner):
    UserFactory(email="carol@example.com", display_name="Carol Data")
    client.force_login(staff)

    by_email = client.get(reverse("admin:accounts_user_changelist"), {"q": "alice@"})
    by_name = client.get(reverse("admin:accounts_user_changelist"), {"q": "carol data"})

    assert "alice@example.com" in by_email.content.decode()
    assert "bob@example.com" not in by_email.content.decode()
    assert "carol@example.com" in by_name.content.decode()
    assert "alice@example.com" not in by_name.content.decode()


def test_staff_can_open_a_user(client, staff, learner):
    client.force_login(staff)

    response = client.get(reverse("admin:accounts_user_change", args=[learner.pk]))

    assert response.status_code == 200
    assert "alice@example.com" in response.content.decode()


def test_learners_cannot_open_the_user_admin(client, learner):
    client.force_login(learner)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
