"""Cache generations: one token per kind of data, replaced on change or at a scheduled time."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

from core import cache_generations


def test_a_generation_stays_the_same_until_it_is_bumped():
    first = cache_generations.current("catalog")
    assert cache_generations.current("catalog") == first
    cache_generations.bump("catalog")
    assert cache_generations.current("catalog") != first


def test_bumping_one_generation_leaves_the_others():
    catalog, blog = cache_generations.current("catalog"), cache_generations.current("blog")
    cache_generations.bump("blog")
    assert cache_generations.current("catalog") == catalog
    assert cache_generations.current("blog") != blog


def test_a_page_built_from_two_generations_changes_with_either():
    both = cache_generations.current("catalog", "blog")
    cache_generations.bump("blog")
    assert cache_generations.current("catalog", "blog") != both


def test_a_scheduled_turn_over_happens_once_its_time_has_come():
    now = timezone.now()
    cache_generations.turn_over_at("blog", now + timedelta(hours=1))
    before = cache_generations.current("blog")
    with time_machine.travel(now + timedelta(minutes=59)):
        assert cache_generations.current("blog") == before
    with time_machine.travel(now + timedelta(hours=1, seconds=1)):
        after = cache_generations.current("blog")
        assert after != before
        assert cache_generations.current("blog") == after  # turns over once, not every read


@pytest.mark.django_db
def test_a_write_bumps_now_and_again_after_commit(django_capture_on_commit_callbacks):
    before = cache_generations.current("catalog")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cache_generations.bump_on_change("catalog")
        during = cache_generations.current("catalog")
    assert during != before
    for callback in callbacks:
        callback()
    assert cache_generations.current("catalog") != during


# --- Read once per request ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_connection_handling():
    """As Django's test client does: the request signals without closing the test's database
    connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def in_a_request():
    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


def replace_from_another_process(name: str) -> None:
    cache.set(cache_generations._key(name), "set-elsewhere", timeout=None)


def test_a_request_keeps_the_generation_it_read_first(in_a_request):
    first = cache_generations.current("catalog")
    replace_from_another_process("catalog")
    assert cache_generations.current("catalog") == first


def test_the_next_request_sees_a_generation_replaced_meanwhile():
    request_started.send(sender=None)
    cache_generations.current("catalog")
    replace_from_another_process("catalog")
    request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        assert cache_generations.current("catalog") == "set-elsewhere"
    finally:
        request_finished.send(sender=None)


def test_a_request_sees_its_own_bump_at_once(in_a_request):
    first = cache_generations.current("catalog")
    cache_generations.bump("catalog")
    assert cache_generations.current("catalog") != first
    assert cache_generations.current("catalog") == cache.get(cache_generations._key("catalog"))


def test_outside_a_request_every_read_goes_to_redis():
    cache_generations.current("catalog")
    replace_from_another_process("catalog")
    assert cache_generations.current("catalog") == "set-elsewhere"


def test_generations_and_other_keys_come_back_together(in_a_request):
    cache.set("some-page", "stored")
    token, found = cache_generations.read("catalog", "blog", with_keys=["some-page", "absent"])
    assert token == cache_generations.current("catalog", "blog")
    assert found == {"some-page": "stored"}
