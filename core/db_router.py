"""Reads of web requests on a streaming replica; writes and fresh reads on the primary.

Only when settings.DATABASES has a "replica" alias (REPLICA_DATABASE_URL); without one the
router returns None everywhere and Django uses "default" exactly as before.

Rules, in order (core.db_middleware decides per request whether reads may use the replica):
- every write, and every read made for a write (select_for_update, get_or_create), goes to
  the primary; after the first write of a request its remaining reads go there too;
- a read inside a transaction on the primary stays there (it must see its own writes);
- reads outside a web request (Celery tasks, commands, shells) go to the primary: a task may
  read a row its request committed a millisecond ago, before the replica has replayed it;
- a request that is not GET/HEAD, or that comes within READ_YOUR_WRITES_SECONDS of a write of
  the same browser (a cookie), reads from the primary;
- a replica that is down or lags more than REPLICA_MAX_LAG_SECONDS is not used; its health is
  checked at most every REPLICA_CHECK_SECONDS per process.
"""

import logging
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"

# Set by the middleware for the length of one request; False everywhere else.
_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote", default=False)
_used_replica: ContextVar[bool] = ContextVar("used_replica", default=False)

# Lag in seconds: 0 when the replica has replayed all it received (an idle primary sends
# nothing, so the last replayed commit may be old without any lag); NULL on a primary.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def replica_configured() -> bool:
    return REPLICA in connections.settings


class _Health:
    """Per-process cache of the replica's state, so a request costs no extra query."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable = False

    def reset(self) -> None:
        with self.lock:
            self.checked_at = float("-inf")
            self.usable = False

    def mark_down(self) -> None:
        with self.lock:
            self.checked_at = time.monotonic()
            self.usable = False

    def usable_now(self) -> bool:
        interval = getattr(settings, "REPLICA_CHECK_SECONDS", 3)
        with self.lock:
            if time.monotonic() - self.checked_at < interval:
                return self.usable
            self.checked_at = time.monotonic()
        usable = probe_replica()
        with self.lock:
            self.usable = usable
        return usable


health = _Health()


def replica_lag_seconds() -> float:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def probe_replica() -> bool:
    max_lag = getattr(settings, "REPLICA_MAX_LAG_SECONDS", 5)
    try:
        lag = replica_lag_seconds()
    except Exception:
        logger.warning("Replica unreachable: reads go to the primary", exc_info=True)
        connections[REPLICA].close()
        return False
    if lag > max_lag:
        logger.warning("Replica lags: reads go to the primary", extra={"lag_seconds": lag})
        return False
    return True


def allow_replica_reads(allowed: bool) -> tuple:
    """Start a request's routing state; returns tokens for end_request()."""
    return (_replica_allowed.set(allowed), _wrote.set(False), _used_replica.set(False))


def end_request(tokens: tuple) -> None:
    for var, token in zip((_replica_allowed, _wrote, _used_replica), tokens, strict=True):
        var.reset(token)


def pin_to_primary() -> None:
    """The rest of this request reads from the primary."""
    _replica_allowed.set(False)


def request_wrote() -> bool:
    return _wrote.get()


def request_used_replica() -> bool:
    return _used_replica.get()


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _replica_allowed.get() or not replica_configured():
            return None
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if not health.usable_now():
            return PRIMARY
        _used_replica.set(True)
        return REPLICA

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        _replica_allowed.set(False)
        return PRIMARY if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
