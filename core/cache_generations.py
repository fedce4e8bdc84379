"""Cache generations: one token per kind of data, replaced whenever that data changes.

Cached pages and computed data carry the generations they were built from in their keys
("catalog", "search", "blog"), so replacing a generation makes all of them obsolete at once
without deleting anything (old entries expire on their own). A generation can also be
scheduled to turn over at a given time, for content that goes public without a write (a blog
post with a future publish date). All generations of a request are read in one round trip.

Should Redis be down or lose a generation, a new one is made: the worst case is a cache miss.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone


def _key(name: str) -> str:
    return f"generation:{name}"


def _schedule_key(name: str) -> str:
    return f"generation:{name}:turns-over-at"


def current(*names: str) -> str:
    """The token for these generations together, e.g. for a page built from several."""
    keys = [_key(name) for name in names] + [_schedule_key(name) for name in names]
    found = cache.get_many(keys)
    now = timezone.now()
    tokens, renewed = [], {}
    for name in names:
        token = found.get(_key(name))
        schedule = found.get(_schedule_key(name)) or []
        if token is None or any(at <= now for at in schedule):
            token = uuid.uuid4().hex
            renewed[_key(name)] = token
            renewed[_schedule_key(name)] = [at for at in schedule if at > now]
        tokens.append(token)
    if renewed:
        cache.set_many(renewed, timeout=None)
    return ".".join(tokens)


def bump(*names: str) -> None:
    """Replace these generations now (a new random token, safe if Redis evicted the old one)."""
    cache.set_many({_key(name): uuid.uuid4().hex for name in names}, timeout=None)


def bump_on_change(*names: str) -> None:
    """For a write inside a transaction: replace now, so this process sees the change at once,
    and again after commit, so a page cached meanwhile by another request from the old rows is
    not kept."""
    bump(*names)
    transaction.on_commit(partial(bump, *names))


def turn_over_at(name: str, at: datetime) -> None:
    """Replace the generation once `at` has passed (checked by `current`)."""
    schedule = cache.get(_schedule_key(name)) or []
    cache.set(_schedule_key(name), sorted({*schedule, at}), timeout=None)
