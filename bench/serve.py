"""Pages against a hello-world view on the same gunicorn: `bench/pages.py --serve`.

Starts gunicorn itself (production settings, 2 sync workers, a spare port), then for each page
prints the SQL queries and Redis commands of one request, the server time (p50 / p95 over N
requests through the WSGI handler in this process: the whole middleware stack and view,
without the network), and wrk's throughput as a share of /bench/hello/ on that gunicorn.
Hello is measured before and after the pages; the share uses their mean, and both are printed
because the difference shows how noisy the machine was.

Production-like means config.settings.production with DEBUG off, the cached template loader,
CompressedManifestStaticFilesStorage (collectstatic runs first) and every security
middleware; only SECURE_SSL_REDIRECT is off, as there is no TLS on the spare port.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELLO = "/bench/hello/"


def production_environment(port: int) -> dict[str, str]:
    # A cache key prefix of this database's own: on a shared Redis the default prefix would
    # mix in generations and pages of other checkouts' databases.
    env_file = ROOT / ".env"
    database = os.environ.get("DATABASE_URL") or (env_file.read_text() if env_file.exists() else "")
    prefix = "bench-" + hashlib.sha256(database.encode()).hexdigest()[:10]
    return {
        **os.environ,
        "CACHE_KEY_PREFIX": os.environ.get("BENCH_CACHE_KEY_PREFIX") or prefix,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "BENCH_HELLO": "true",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


@dataclass
class Gunicorn:
    process: subprocess.Popen
    base_url: str

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_gunicorn(env: dict[str, str], *, port: int, workers: int) -> Gunicorn:
    python = sys.executable
    subprocess.run(  # noqa: S603 (fixed arguments)
        [python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    command = [
        str(Path(python).with_name("gunicorn")),
        "config.wsgi",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(base_url + HELLO, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return Gunicorn(process, base_url)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not answer on {base_url}{HELLO}")


# --- in this process ------------------------------------------------------------------------


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def default_paths(*, signed_in: bool) -> list[str]:
    """A course, a free preview lesson and a blog post that exist in this database."""
    from blog.models import Post
    from courses.models import Course, Lesson

    course = Course.objects.filter(status=Course.Status.PUBLISHED).order_by("id").first()
    preview = (
        Lesson.objects.filter(is_preview=True, course__status=Course.Status.PUBLISHED)
        .select_related("course")
        .order_by("id")
        .first()
    )
    post = Post.objects.order_by("id").first()
    paths = ["/", "/courses/", "/courses/?q=python"]
    paths += [course.get_absolute_url()] if course else []
    paths += [preview.get_absolute_url()] if preview else []
    paths += ["/blog/"] + ([post.get_absolute_url()] if post else [])
    paths += ["/courses/my-learning/", "/account/profile/"] if signed_in else ["/accounts/login/"]
    return paths


def session_cookie(email: str) -> str:
    """A real session for this user, usable by gunicorn (same database, Redis and key)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@dataclass
class ServerTime:
    status: int
    queries: int
    redis: int
    p50_ms: float
    p95_ms: float
    cpu_ms: float  # median CPU time of this process: what a quiet machine would spend


def server_time(path: str, *, requests: int, cookie: str) -> ServerTime:
    import redis.client
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()
    path_info, _, query = path.partition("?")

    def call() -> int:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
        }
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        status = []
        body = handler(environ, lambda s, h, *a: status.append(s))
        b"".join(body)
        body.close()
        return int(status[0][:3])

    for _ in range(3):
        call()  # warm: templates compiled, page stored in the page cache
    commands = []
    real = redis.client.Redis.execute_command

    def counted(self, *args, **kwargs):
        commands.append(args[0])
        return real(self, *args, **kwargs)

    queries = []

    def recorded(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    redis.client.Redis.execute_command = counted
    try:
        with connection.execute_wrapper(recorded):
            status = call()
    finally:
        redis.client.Redis.execute_command = real
    samples, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    samples.sort()
    cpu.sort()
    return ServerTime(
        status=status,
        queries=len(queries),
        redis=len(commands),
        p50_ms=samples[len(samples) // 2],
        p95_ms=samples[min(len(samples) - 1, int(len(samples) * 0.95))],
        cpu_ms=cpu[len(cpu) // 2],
    )


def run(args, *, run_wrk, print_table) -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    env = production_environment(args.port)
    setup_django(env)
    cookie = args.cookie or (session_cookie(args.user) if args.user else "")
    paths = args.paths or default_paths(signed_in=bool(cookie))
    server = start_gunicorn(env, port=args.port, workers=args.workers)

    def wrk(path: str) -> float:
        result = run_wrk(
            server.base_url + path,
            threads=args.wrk_threads,
            connections=args.wrk_connections,
            duration=args.wrk_duration,
            cookie=cookie or None,
        )
        if result.error:
            print(f"{path}: wrk: {result.error}", file=sys.stderr)
        return result.requests_per_second or 0.0

    try:
        load_before = os.getloadavg()
        hello_before = wrk(HELLO)
        hello_cpu = server_time(HELLO, requests=args.requests, cookie=cookie).cpu_ms
        rows = []
        for path in paths:
            timing = server_time(path, requests=args.requests, cookie=cookie)
            rows.append((path, timing, wrk(path)))
        hello_after = wrk(HELLO)
        load_after = os.getloadavg()
    finally:
        server.stop()
    hello = (hello_before + hello_after) / 2
    print(
        f"gunicorn {args.workers} sync workers, wrk {args.wrk_threads} threads "
        f"{args.wrk_connections} connections {args.wrk_duration}; "
        f"{'signed in' if cookie else 'anonymous'}; server time over {args.requests} requests"
    )
    print(
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
        f"hello {hello_before:.0f} req/s before, {hello_after:.0f} after"
    )
    table = [[HELLO, "200", "0", "0", "-", "-", f"{hello_cpu:.2f}", f"{hello:.0f}", "1.00"]]
    for path, timing, rps in rows:
        table.append(
            [
                path,
                str(timing.status),
                str(timing.queries),
                str(timing.redis),
                f"{timing.p50_ms:.1f}",
                f"{timing.p95_ms:.1f}",
                f"{timing.cpu_ms:.2f}",
                f"{rps:.0f}",
                f"{rps / hello:.2f}" if hello else "-",
            ]
        )
    print_table(
        ["path", "status", "queries", "redis", "p50 ms", "p95 ms", "cpu ms", "req/s", "of hello"],
        table,
    )
    return 0
