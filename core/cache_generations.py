"""Cache generations: one token per kind of data, replaced whenever that data changes.

Cached pages and computed data carry the generations they were built from in their keys
("catalog", "search", "blog"), so replacing a generation makes all of them obsolete at once
without deleting anything (old entries expire on their own). A generation can also be
scheduled to turn over at a given time, for content that goes public without a write (a blog
post with a future publish date).

Each generation is read from Redis at most once per request: during a request (between
Django's request_started and request_finished signals) the tokens read are kept in a
per-request memo, which this process's own bumps update. A page that reads the catalog
generation for its category list and again for its page cache key costs one round trip, and
`read` fetches the generations together with other keys (the cached page itself). Outside a
request (Celery tasks, commands) every call reads Redis.

Should Redis be down or lose a generation, a new one is made: the worst case is a cache miss.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils import timezone

# asgiref's Local, as Django uses for its own per-request state: per thread under gunicorn's
# sync or threaded workers, per request context under ASGI.
_request = Local()


def _start_memo(**kwargs: Any) -> None:
    _request.tokens = {}


def _end_memo(**kwargs: Any) -> None:
    _request.tokens = None


request_started.connect(_start_memo, dispatch_uid="cache_generations_start")
request_finished.connect(_end_memo, dispatch_uid="cache_generations_end")


def _memo() -> dict[str, str] | None:
    return getattr(_request, "tokens", None)


def _key(name: str) -> str:
    return f"generation:{name}"


def _schedule_key(name: str) -> str:
    return f"generation:{name}:turns-over-at"


def current(*names: str) -> str:
    """The token for these generations together, e.g. for a page built from several."""
    return read(*names)[0]


def read(*names: str, with_keys: Iterable[str] = ()) -> tuple[str, dict[str, Any]]:
    """The token for these generations, and the cache entries found under `with_keys`, in
    one round trip (none at all for generations this request has read already)."""
    memo = _memo()
    unknown = [name for name in names if memo is None or name not in memo]
    keys = [_key(name) for name in unknown] + [_schedule_key(name) for name in unknown]
    extra = list(with_keys)
    found = cache.get_many(keys + extra) if keys or extra else {}
    now = timezone.now()
    tokens, renewed = {}, {}
    for name in unknown:
        token = found.get(_key(name))
        schedule = found.get(_schedule_key(name)) or []
        if token is None or any(at <= now for at in schedule):
            token = uuid.uuid4().hex
            renewed[_key(name)] = token
            renewed[_schedule_key(name)] = [at for at in schedule if at > now]
        tokens[name] = token
    if renewed:
        cache.set_many(renewed, timeout=None)
    if memo is not None:
        memo.update(tokens)
        tokens = memo
    return ".".join(tokens[name] for name in names), {k: found[k] for k in extra if k in found}


def bump(*names: str) -> None:
    """Replace these generations now (a new random token, safe if Redis evicted the old one)."""
    tokens = {name: uuid.uuid4().hex for name in names}
    cache.set_many({_key(name): token for name, token in tokens.items()}, timeout=None)
    memo = _memo()
    if memo is not None:
        memo.update(tokens)


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
