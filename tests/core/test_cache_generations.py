"""Cache generations: one token per kind of data, replaced on change or at a scheduled time."""

from datetime import timedelta

import pytest
import time_machine
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
