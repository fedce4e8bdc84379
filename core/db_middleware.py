"""Per-request database routing (read-your-writes) and a quick 503 when the database is away."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template

from core import db_router

logger = logging.getLogger(__name__)

WROTE_COOKIE = "ds_wrote"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable() -> HttpResponse:
    # No context processors and no session: the database those need is the thing that is away.
    response = HttpResponse(get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


def _recent_write(request: HttpRequest, window: float) -> bool:
    try:
        wrote_at = float(request.COOKIES.get(WROTE_COOKIE, ""))
    except ValueError:
        return False
    return 0 <= time.time() - wrote_at < window


class ReadYourWritesMiddleware:
    """Lets a request read from the replica unless it writes or its browser wrote a moment ago.

    After a write the response carries a cookie with the time, so the next requests of that
    learner (on any instance: no stickiness needed) read from the primary for
    READ_YOUR_WRITES_SECONDS and see what they just saved. The cookie only ever moves reads
    to the primary, so a forged one costs nothing but a little primary load.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not db_router.replica_configured():
            return self.get_response(request)
        window = getattr(settings, "READ_YOUR_WRITES_SECONDS", 10)
        allowed = request.method in SAFE_METHODS and not _recent_write(request, window)
        tokens = db_router.allow_replica_reads(allowed)
        try:
            response = self.get_response(request)
            if db_router.request_wrote() or request.method not in SAFE_METHODS:
                response.set_cookie(
                    WROTE_COOKIE,
                    str(time.time()),
                    max_age=int(window),
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            db_router.end_request(tokens)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503 at once instead of a 500 page.

    A safe request that failed on the replica is marked and run once more on the primary, so a
    replica that dies between two health checks costs no error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        if (
            db_router.request_used_replica()
            and request.method in SAFE_METHODS
            and not getattr(request, "_retried_on_primary", False)
        ):
            logger.warning("Replica failed mid-request: retrying on the primary")
            db_router.health.mark_down()
            db_router.pin_to_primary()
            request._retried_on_primary = True
            try:
                return self.get_response(request)
            except DATABASE_ERRORS:
                pass
        logger.error("Database unavailable: answered 503", exc_info=exception)
        return database_unavailable()
