"""Health checks and the few pages that belong to no app."""

import logging

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_redis import get_redis_connection

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answers HTTP."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to serve: PostgreSQL and Redis both answer; 503 otherwise."""
    checks = {"database": "ok", "redis": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("readyz: database unreachable")
        checks["database"] = "error"
    try:
        get_redis_connection("default").ping()
    except Exception:
        logger.exception("readyz: redis unreachable")
        checks["redis"] = "error"
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)


def bench_hello(request: HttpRequest) -> HttpResponse:
    """The cheapest page through the whole middleware stack: the yardstick of bench/pages.py.
    Off (404) unless DEBUG or BENCH_HELLO, so production keeps the URLs it had."""
    if not (settings.DEBUG or settings.BENCH_HELLO):
        raise Http404("Not enabled.")
    return HttpResponse("Hello, world", content_type="text/plain; charset=utf-8")


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors: the failure may be the database or the session store.
    from django.template.loader import get_template

    return HttpResponse(get_template("errors/500.html").render(), status=500)
