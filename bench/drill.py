"""`make drill`: break parts of `make cluster` under a steady load and check each promise.

Starts the cluster (deploy/cluster/run.py) when it is not running, and stops it afterwards in
that case. Each drill prints one row: what was broken, requests sent and failed while it was
broken, p95 latency during the fault, and the time to recover. Exit status 1 when a row
breaks its promise.

1. kill -9 one gunicorn instance: no request fails (nginx retries on the other one);
2. stop the replica: reads fall back to the primary, no 5xx;
3. restart the cluster's Redis: no 5xx, nobody logged out (sessions are cached_db);
4. kill -9 the Celery worker in the middle of 1,000 signed webhook events: each is processed
   exactly once (one paid order, one enrollment, one receipt email each);
5. restart the PostgreSQL primary: quick 503s (no 500/502/504, p95 < 1 s), the site comes back
   by itself, and webhook events sent during the outage (retried like Stripe does) all land.

Before the drills, a learner logs in through one instance and studies through the other.
"""

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy" / "cluster"))
sys.path.insert(0, str(ROOT))
import cluster_env as cluster  # noqa: E402

os.environ.update(cluster.environment())
os.environ.pop("PROMETHEUS_MULTIPROC_DIR")  # the drill's own queries are not the site's

import django  # noqa: E402

django.setup()

import stripe  # noqa: E402
from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import InterfaceError, OperationalError, connections  # noqa: E402

from accounts.models import User  # noqa: E402
from courses.models import Course  # noqa: E402
from learning.models import Enrollment  # noqa: E402
from purchases.models import Order, OrderEvent  # noqa: E402

BASE = cluster.BASE_URL
PASSWORD = "drill-learner-2026"  # noqa: S105 (throwaway accounts of the local cluster)
RUN = uuid.uuid4().hex[:6]


# --- the cluster ---------------------------------------------------------------------------
def pid_of(name: str) -> int:
    return int((cluster.VAR / "pids" / f"{name}.pid").read_text())


def hold(name: str) -> None:
    (cluster.VAR / "hold" / name).touch()


def release(name: str) -> None:
    (cluster.VAR / "hold" / name).unlink(missing_ok=True)


def signal_group(name: str, sig: int) -> None:
    os.killpg(pid_of(name), sig)


def ok(url: str, timeout: float = 2) -> bool:
    try:
        return requests.get(url, timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def wait_until(check, timeout: float, step: float = 0.2) -> float | None:
    """Seconds until check() is true, or None after the timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(step)
    return None


def pg_ready(port: int) -> bool:
    return (
        subprocess.call(  # noqa: S603 (fixed argument list)
            [
                str(cluster.PG_BIN / "pg_isready"),
                "-q",
                "-U",
                "postgres",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
            ]
        )
        == 0
    )


def start_cluster() -> subprocess.Popen | None:
    if (cluster.VAR / "ready").exists() and ok(f"{BASE}/readyz"):
        return None
    print("Starting make cluster (log: var/cluster/cluster.log) ...", flush=True)
    cluster.VAR.mkdir(parents=True, exist_ok=True)
    log = open(cluster.VAR / "cluster.log", "w")  # noqa: SIM115 (lives as long as the cluster)
    proc = subprocess.Popen(  # noqa: S603 (fixed argument list)
        [sys.executable, str(ROOT / "deploy" / "cluster" / "run.py")],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if wait_until(lambda: (cluster.VAR / "ready").exists(), 600, 1) is None:
        stop_cluster(proc)
        raise SystemExit("The cluster did not start: see var/cluster/cluster.log")
    return proc


def stop_cluster(proc: subprocess.Popen | None) -> None:
    if proc is not None:
        proc.send_signal(signal.SIGINT)
        proc.wait(120)


# --- learners and load ---------------------------------------------------------------------
def make_learner(email: str) -> User:
    user = User.objects.create(email=email, password=make_password(PASSWORD), display_name="Drill")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "login": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, f"login failed: {response.status_code}"
    return session


def signed_in(session: requests.Session, base: str = BASE) -> bool | None:
    """True when My learning answers, False when it sends us to log in, None on an error."""
    try:
        response = session.get(f"{base}/courses/my-learning/", allow_redirects=False, timeout=10)
    except requests.RequestException:
        return None
    if response.status_code == 200:
        return True
    if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
        return False
    return None


class Load:
    """A steady mix of anonymous pages and signed-in learners, recording every answer."""

    def __init__(self, sessions: list[requests.Session], pages: list[str], threads: int = 6):
        self.sessions, self.pages, self.threads = sessions, pages, threads
        self.samples: list[tuple[float, float, int, str]] = []  # start, ms, status, kind
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _worker(self, index: int) -> None:
        anonymous = requests.Session()
        i = index
        while not self.stop.is_set():
            i += 1
            started = time.monotonic()
            kind, status = "page", 0
            try:
                if i % 3 == 0:
                    kind = "learner"
                    session = self.sessions[i % len(self.sessions)]
                    response = session.get(
                        f"{BASE}/courses/my-learning/", allow_redirects=False, timeout=15
                    )
                    status = response.status_code
                    if status == 302 and "/accounts/login/" in response.headers["Location"]:
                        kind = "logged-out"
                else:
                    url = f"{BASE}{self.pages[i % len(self.pages)]}"
                    status = anonymous.get(url, timeout=15).status_code
            except requests.RequestException:
                status = 0
            with self.lock:
                self.samples.append((started, (time.monotonic() - started) * 1000, status, kind))
            time.sleep(0.1)

    def __enter__(self):
        self.pool = [
            threading.Thread(target=self._worker, args=(n,), daemon=True)
            for n in range(self.threads)
        ]
        for thread in self.pool:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.pool:
            thread.join()

    def window(self, start: float, end: float):
        with self.lock:
            return [s for s in self.samples if start <= s[0] <= end]


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[18]


ROWS: list[dict] = []


def row(what: str, samples, recovery: float | None, promise: str, kept: bool, note: str = ""):
    failed = sum(1 for s in samples if s[2] == 0 or s[2] >= 500 or s[3] == "logged-out")
    statuses: dict[int, int] = {}
    for s in samples:
        statuses[s[2]] = statuses.get(s[2], 0) + 1
    note = f"{note} statuses {dict(sorted(statuses.items()))}".strip()
    ROWS.append(
        {
            "what": what,
            "sent": len(samples),
            "failed": failed,
            "p95": p95([s[1] for s in samples]),
            "recovery": recovery,
            "promise": promise,
            "kept": kept,
            "note": note,
        }
    )
    print(f"  -> {what}: {'kept' if kept else 'BROKEN'} {note}", flush=True)


# --- the drills ----------------------------------------------------------------------------
def drill_web(load: Load) -> None:
    t0 = time.monotonic()
    signal_group("web-a", signal.SIGKILL)
    recovery = wait_until(lambda: ok("http://127.0.0.1:8101/healthz"), 120)
    time.sleep(2)
    samples = load.window(t0, time.monotonic())
    failed = [s for s in samples if s[2] == 0 or s[2] >= 500]
    row("kill -9 gunicorn web-a", samples, recovery, "no failed request", not failed)


def drill_replica(load: Load) -> None:
    hold("replica")
    t0 = time.monotonic()
    signal_group("replica", signal.SIGINT)
    time.sleep(10)
    release("replica")
    t1 = time.monotonic()
    recovery = wait_until(lambda: pg_ready(cluster.REPLICA_PORT), 120)
    time.sleep(5)  # the health check notices it again (REPLICA_CHECK_SECONDS)
    samples = load.window(t0, time.monotonic())
    failed = [s for s in samples if s[2] == 0 or s[2] >= 500]
    row(
        "stop the replica 10 s",
        samples,
        recovery and (time.monotonic() - t1) - 5,
        "no 5xx",
        not failed,
    )


def drill_redis(load: Load) -> None:
    import redis

    t0 = time.monotonic()
    signal_group("redis", signal.SIGTERM)
    time.sleep(0.5)
    recovery = wait_until(
        lambda: _redis_ping(redis.Redis(port=cluster.REDIS_PORT, socket_timeout=1)), 60
    )
    time.sleep(5)
    samples = load.window(t0, time.monotonic())
    failed = [s for s in samples if s[2] == 0 or s[2] >= 500]
    logged_out = [s for s in samples if s[3] == "logged-out"]
    row(
        "restart Redis (cache, sessions)",
        samples,
        recovery,
        "no 5xx, nobody logged out",
        not failed and not logged_out,
        f"({len(logged_out)} logged out)",
    )


def _redis_ping(client) -> bool:
    try:
        return client.ping()
    except Exception:
        return False


def make_orders(course: Course, count: int, tag: str) -> list[Order]:
    users = User.objects.bulk_create(
        User(email=f"{tag}-{n}@drill.test", password="!", display_name="Drill")  # noqa: S106
        for n in range(count)
    )
    return Order.objects.bulk_create(
        Order(
            user=u,
            email=u.email,
            course=course,
            amount=course.price_amount,
            currency=course.currency,
            checkout_session_id=f"cs_test_{tag}_{n}",
        )
        for n, u in enumerate(users)
    )


def completed_event(order: Order) -> bytes:
    session = {
        "id": order.checkout_session_id,
        "object": "checkout.session",
        "status": "complete",
        "payment_status": "paid",
        "mode": "payment",
        "amount_subtotal": order.amount,
        "amount_total": order.amount,
        "currency": order.currency.lower(),
        "client_reference_id": str(order.pk),
        "metadata": {"order_id": str(order.pk), "order_number": order.number},
        "payment_intent": f"pi_{order.checkout_session_id}",
    }
    return json.dumps(
        {
            "id": f"evt_{order.checkout_session_id}",
            "object": "event",
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "livemode": False,
            "type": "checkout.session.completed",
            "data": {"object": session},
        }
    ).encode()


def post_event(order: Order, *, retry_for: float = 0, record: list | None = None) -> int:
    """Post one signed event; with retry_for, retry like Stripe until a 2xx (or time out).
    Each attempt is appended to `record` as a load sample."""
    payload = completed_event(order)
    deadline = time.monotonic() + retry_for
    while True:
        started = time.monotonic()
        header = stripe.WebhookSignature.generate_signature_header(
            payload.decode(), os.environ["STRIPE_WEBHOOK_SECRET"]
        )
        try:
            status = requests.post(
                f"{BASE}/stripe/webhook/",
                data=payload,
                headers={"Stripe-Signature": header, "Content-Type": "application/json"},
                timeout=15,
            ).status_code
        except requests.RequestException:
            status = 0
        if record is not None:
            record.append((started, (time.monotonic() - started) * 1000, status, "webhook"))
        if status == 200 or time.monotonic() >= deadline:
            return status
        time.sleep(1)


RECEIPT = re.compile(r"^Subject: .*\((\S+)\)\s*$", re.MULTILINE)


def receipts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in (cluster.VAR / "mail").glob("*.log"):
        text = path.read_text(errors="replace").replace("\n ", " ").replace("\n\t", " ")
        for number in RECEIPT.findall(text):
            counts[number] = counts.get(number, 0) + 1
    return counts


def exactly_once(orders: list[Order], course: Course) -> tuple[bool, str]:
    ids = [o.pk for o in orders]
    paid = Order.objects.filter(pk__in=ids, status=Order.Status.PAID).count()
    enrolled = Enrollment.objects.filter(
        course=course, user_id__in=[o.user_id for o in orders]
    ).count()
    transitions = OrderEvent.objects.filter(order_id__in=ids, to_status=Order.Status.PAID).count()
    mail = receipts()
    emails = [mail.get(o.number, 0) for o in orders]
    once = (
        paid == len(ids)
        and enrolled == len(ids)
        and transitions == len(ids)
        and all(n == 1 for n in emails)
    )
    note = (
        f"(paid {paid}, enrolled {enrolled}, paid transitions {transitions}, receipts "
        f"{sum(emails)}, duplicates {sum(1 for n in emails if n > 1)}, "
        f"missing {sum(1 for n in emails if n == 0)} of {len(ids)})"
    )
    return once, note


def drill_worker(load: Load, course: Course, count: int = 1000) -> None:
    orders = make_orders(course, count, f"w{RUN}")
    statuses: list[int] = []
    t0 = time.monotonic()
    killed = threading.Event()

    def send(order: Order) -> None:
        statuses.append(post_event(order))
        if len(statuses) == count // 4 and not killed.is_set():
            killed.set()
            hold("worker")
            signal_group("worker", signal.SIGKILL)
            threading.Timer(3, release, args=("worker",)).start()

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(send, orders))

    def done() -> bool:
        return (
            Order.objects.filter(pk__in=[o.pk for o in orders], status=Order.Status.PAID).count()
            == count
            and len(set(receipts()) & {o.number for o in orders}) == count
        )

    recovery = wait_until(done, 900, 3)
    time.sleep(3)
    once, note = exactly_once(orders, course)
    failed_posts = sum(1 for s in statuses if s != 200)
    samples = load.window(t0, time.monotonic())
    ROWS.append(
        {
            "what": f"kill -9 Celery worker in {count} webhook events",
            "sent": len(statuses),
            "failed": failed_posts,
            "p95": p95([s[1] for s in samples]),
            "recovery": recovery,
            "promise": "each event processed exactly once",
            "kept": once and failed_posts == 0 and recovery is not None,
            "note": note,
        }
    )
    print(f"  -> worker: {'kept' if ROWS[-1]['kept'] else 'BROKEN'} {note}", flush=True)


def paid(orders: list[Order]) -> int:
    """Paid orders among these; -1 while the drill's own connection is being re-made."""
    try:
        return Order.objects.filter(pk__in=[o.pk for o in orders], status=Order.Status.PAID).count()
    except (OperationalError, InterfaceError):
        connections.close_all()  # the restarted primary ended our session
        return -1


def drill_primary(load: Load, course: Course) -> None:
    orders = make_orders(course, 20, f"p{RUN}")
    hold("primary")
    t0 = time.monotonic()
    signal_group("primary", signal.SIGINT)
    wait_until(lambda: not pg_ready(cluster.PRIMARY_PORT), 30)
    # A "Stripe" that keeps retrying the events it sends during the outage.
    with ThreadPoolExecutor(4) as pool:
        attempts: list = []
        futures = [pool.submit(post_event, o, retry_for=300, record=attempts) for o in orders]
        time.sleep(8)
        release("primary")
        recovery = wait_until(lambda: ok(f"{BASE}/readyz"), 180)
        fault_end = time.monotonic()
        statuses = [f.result() for f in futures]
    # Page views (served by the replica while they can) and the webhook posts (which must
    # write, so they meet the outage) during the fault.
    samples = load.window(t0, fault_end) + attempts
    bad = [s for s in samples if s[2] == 0 or (s[2] >= 500 and s[2] != 503)]
    unavailable = sum(1 for s in samples if s[2] == 503)
    landed = wait_until(lambda: paid(orders) == len(orders), 400, 3)
    latency = p95([s[1] for s in samples])
    kept = not bad and latency < 1000 and recovery is not None and landed is not None
    ROWS.append(
        {
            "what": "restart PostgreSQL primary (8 s down)",
            "sent": len(samples),
            "failed": len(bad),
            "p95": latency,
            "recovery": recovery,
            "promise": "quick 503s only, recovers, no lost order",
            "kept": kept,
            "note": f"({unavailable} answered 503; {sum(1 for s in statuses if s == 200)}/"
            f"{len(orders)} events accepted, orders paid: {landed is not None})",
        }
    )
    print(f"  -> primary: {'kept' if kept else 'BROKEN'} {ROWS[-1]['note']}", flush=True)


def print_table() -> None:
    print()
    print(
        "| What was broken | Requests sent | Failed | p95 during fault | Recovery | Promise "
        "| Kept |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in ROWS:
        recovery = f"{r['recovery']:.1f} s" if r["recovery"] is not None else "never"
        print(
            f"| {r['what']} | {r['sent']} | {r['failed']} | {r['p95']:.0f} ms | {recovery} | "
            f"{r['promise']} {r['note']} | {'yes' if r['kept'] else '**NO**'} |"
        )


def main() -> int:
    proc = start_cluster()
    try:
        course = (
            Course.objects.filter(status=Course.Status.PUBLISHED, price_amount__gt=0)
            .order_by("pk")
            .first()
        )
        pages = ["/", "/courses/", "/courses/?q=pyhton", "/courses/?q=statistcs", "/blog/"]
        pages += [c.get_absolute_url() for c in Course.objects.filter(status="published")[:5]]
        learners = [make_learner(f"l{n}-{RUN}@drill.test") for n in range(4)]
        # Log in through one instance, study through the other: no stickiness needed.
        sessions = [log_in("http://127.0.0.1:8101", u.email) for u in learners]
        across = all(signed_in(s, "http://127.0.0.1:8102") for s in sessions)
        print(f"Signed in on web-a, studying on web-b: {'ok' if across else 'FAILED'}")
        with Load(sessions, pages) as load:
            time.sleep(5)
            for name, drill in (
                ("gunicorn", lambda: drill_web(load)),
                ("replica", lambda: drill_replica(load)),
                ("redis", lambda: drill_redis(load)),
                ("worker", lambda: drill_worker(load, course)),
                ("primary", lambda: drill_primary(load, course)),
            ):
                print(f"Drill: {name} ...", flush=True)
                drill()
                time.sleep(3)
        print_table()
        return 0 if across and all(r["kept"] for r in ROWS) else 1
    finally:
        for name in ("web-a", "replica", "redis", "worker", "primary"):
            release(name)
        stop_cluster(proc)


if __name__ == "__main__":
    sys.exit(main())
