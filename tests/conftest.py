"""The same three people in every test (healthchecks' habit), and a clean Redis afterwards."""

import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import UserFactory


@pytest.fixture
def learner(db):
    return UserFactory(email="alice@example.com", display_name="Alice")


@pytest.fixture
def other_learner(db):
    return UserFactory(email="bob@example.com", display_name="Bob")


@pytest.fixture
def staff(db):
    return UserFactory(
        email="staff@example.com", display_name="Staff", is_staff=True, is_superuser=True
    )


def _delete_own_keys() -> None:
    # delete_pattern applies this run's KEY_PREFIX; cache.clear() would flush other users' keys.
    assert settings.CACHES["default"]["KEY_PREFIX"].startswith("dstest")
    cache.delete_pattern("*")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as rate limits and page caches live there."""
    _delete_own_keys()
    yield


@pytest.fixture(scope="session", autouse=True)
def _leave_nothing_behind():
    yield
    _delete_own_keys()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.PROTECTED_MEDIA_ROOT, ignore_errors=True)
