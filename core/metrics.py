"""/metrics for Prometheus: django-prometheus' request, database and cache metrics, the cache's
own timings and the Celery queue length. Open to loopback only, or to a bearer token.
"""

import hmac
import ipaddress
import logging
import os
import time

import prometheus_client
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily

from core.cache import FailOpenRedisCache

logger = logging.getLogger(__name__)

cache_duration = Histogram(
    "dataschool_cache_operation_seconds",
    "Time spent in Redis cache calls, by operation.",
    ["operation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0),
)


def _timed(operation: str):
    def wrap(method):
        def timed(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                cache_duration.labels(operation).observe(time.perf_counter() - started)

        return timed

    return wrap


class InstrumentedRedisCache(FailOpenRedisCache):
    """The project's fail-open Redis cache, with a latency histogram per operation."""

    get = _timed("get")(FailOpenRedisCache.get)
    set = _timed("set")(FailOpenRedisCache.set)
    add = _timed("add")(FailOpenRedisCache.add)
    delete = _timed("delete")(FailOpenRedisCache.delete)
    get_many = _timed("get_many")(FailOpenRedisCache.get_many)
    incr = _timed("incr")(FailOpenRedisCache.incr)


class CeleryQueueCollector:
    """Messages waiting in the Celery queue, asked of the broker at scrape time (Redis list or
    RabbitMQ queue alike, through kombu's passive declare)."""

    def collect(self):
        from config.celery import app

        queue = app.conf.task_default_queue
        gauge = GaugeMetricFamily(
            "dataschool_celery_queue_length",
            "Messages waiting in the Celery queue.",
            labels=["queue"],
        )
        try:
            with app.connection_for_read() as conn:
                conn.ensure_connection(max_retries=1, timeout=1)
                try:
                    _, count, _ = conn.default_channel.queue_declare(queue=queue, passive=True)
                except conn.channel_errors:
                    count = 0  # no such queue yet: nothing was ever sent to it
        except Exception:
            logger.warning("Celery queue length unavailable", exc_info=True)
            return
        gauge.add_metric([queue], count)
        yield gauge


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip()).is_loopback
    except ValueError:
        return False


def metrics_allowed(request: HttpRequest) -> bool:
    """Loopback clients (directly, or through nginx on this machine: every hop in
    X-Forwarded-For is loopback too), or a request bearing METRICS_TOKEN."""
    token = getattr(settings, "METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    hops = [request.META.get("REMOTE_ADDR", "")]
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        hops += forwarded.split(",")
    return all(_loopback(hop) for hop in hops)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        # 404, not 403: the endpoint does not advertise itself to the internet.
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn workers: add up what every process wrote to the shared directory.
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    queue = prometheus_client.CollectorRegistry()
    queue.register(CeleryQueueCollector())
    body = prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(queue)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
