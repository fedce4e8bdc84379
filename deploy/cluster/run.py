"""`make cluster`: nginx, two gunicorn instances, Celery worker and beat, a PostgreSQL primary
and streaming replica, and Redis, all in the foreground with prefixed logs. Ctrl-C stops all.

A process that exits is started again after a second (as systemd or Kubernetes would), unless
var/cluster/hold/<name> exists: the drill (bench/drill.py) holds a process down that way.
Pid files in var/cluster/pids/<name>.pid name each process group, for the drill to kill.

PostgreSQL refuses to run as root, so when we are root its processes run as the `postgres`
user and var/pg belongs to it. Nothing here touches the machine's own PostgreSQL or Redis.
"""

import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_env as cluster
from procs import COLOURS, PG_USER, STOPPING, Process, run_step, say


def wait_for(what: str, check, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if STOPPING.is_set():
            raise SystemExit("cluster: stopped while starting")
        if check():
            return
        time.sleep(0.3)
    raise SystemExit(f"cluster: {what} did not come up within {timeout:.0f} s")


def pg_ready(port: int) -> bool:
    return (
        subprocess.call(  # noqa: S603
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


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except Exception:
        return False


def prepare_postgres() -> None:
    """The primary's data directory, created once (initdb) and owned by `postgres`."""
    cluster.PG.mkdir(parents=True, exist_ok=True)
    cluster.PG_SOCKETS.mkdir(exist_ok=True)
    if PG_USER:
        info = pwd.getpwnam(PG_USER)
        for path in (cluster.PG, cluster.PG_SOCKETS):
            os.chown(path, info.pw_uid, info.pw_gid)
    if (cluster.PRIMARY_DIR / "PG_VERSION").exists():
        return
    run_step(
        "initdb",
        [
            str(cluster.PG_BIN / "initdb"),
            "-D",
            str(cluster.PRIMARY_DIR),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        user=PG_USER,
    )
    with open(cluster.PRIMARY_DIR / "postgresql.conf", "a") as conf:
        conf.write(
            "\n# make cluster\n"
            f"port = {cluster.PRIMARY_PORT}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{cluster.PG_SOCKETS}'\n"
            "wal_level = replica\nmax_wal_senders = 5\nwal_keep_size = 256MB\n"
            "hot_standby = on\nhot_standby_feedback = on\n"
            "max_connections = 200\nshared_buffers = 128MB\n"
            "logging_collector = off\nlog_min_messages = warning\n"
        )


def prepare_replica() -> None:
    """A streaming replica of the running primary: pg_basebackup -R writes standby.signal and
    primary_conninfo; it listens on its own port."""
    if (cluster.REPLICA_DIR / "standby.signal").exists():
        return
    shutil.rmtree(cluster.REPLICA_DIR, ignore_errors=True)
    run_step(
        "basebkp",
        [
            str(cluster.PG_BIN / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.PRIMARY_PORT),
            "-U",
            "postgres",
            "-D",
            str(cluster.REPLICA_DIR),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ],
        user=PG_USER,
    )
    with open(cluster.REPLICA_DIR / "postgresql.conf", "a") as conf:
        conf.write(f"\n# the replica\nport = {cluster.REPLICA_PORT}\n")


def postgres(name: str, data_dir, colour: str) -> Process:
    # SIGINT: PostgreSQL's "fast" shutdown (sessions ended, no wait for them).
    return Process(
        name,
        [str(cluster.PG_BIN / "postgres"), "-D", str(data_dir)],
        PG_USER,
        signal.SIGINT,
        colour,
    )


def processes() -> dict[str, Process]:
    venv = cluster.VENV_BIN
    procs = [
        postgres("primary", cluster.PRIMARY_DIR, "34"),
        postgres("replica", cluster.REPLICA_DIR, "94"),
        Process(
            "redis",
            [
                "redis-server",
                "--port",
                str(cluster.REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(cluster.VAR),
            ],
            colour="31",
        ),
    ]
    for i, (name, port) in enumerate(cluster.WEB_PORTS.items()):
        procs.append(
            Process(
                name,
                [
                    str(venv / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    os.environ.get("CLUSTER_WEB_WORKERS", "2"),
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "4",
                    "--graceful-timeout",
                    "5",
                    "--timeout",
                    "30",
                    "--keep-alive",
                    "65",
                    "--name",
                    name,
                    "--no-control-socket",
                    # Load Django before binding the port: a restarted instance accepts no
                    # connection it cannot serve yet (nginx would wait on it, not retry).
                    "--preload",
                ],
                colour=COLOURS[i],
            )
        )
    procs += [
        Process(
            "worker",
            [
                str(venv / "celery"),
                "-A",
                "config",
                "worker",
                "-Q",
                cluster.QUEUE,
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "-n",
                "cluster-worker@%h",
            ],
            colour="33",
        ),
        Process(
            "beat",
            [
                str(venv / "celery"),
                "-A",
                "config",
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(cluster.VAR / "celerybeat-schedule"),
            ],
            colour="35",
        ),
        Process(
            "nginx",
            [
                "nginx",
                "-p",
                str(cluster.VAR / "nginx"),
                "-c",
                str(cluster.VAR / "nginx" / "nginx.conf"),
                "-e",
                "stderr",
                "-g",
                "daemon off;",
            ],
            stop_signal=signal.SIGQUIT,
            colour="32",
        ),
    ]
    return {p.name: p for p in procs}


def render_nginx() -> None:
    run = cluster.VAR / "nginx"
    run.mkdir(parents=True, exist_ok=True)
    env = cluster.environment()
    user = pwd.getpwuid(os.geteuid()).pw_name
    values = {
        "@USER_DIRECTIVE@": f"user {user};" if os.geteuid() == 0 else "",
        "@RUN@": str(run),
        "@ROOT@": str(cluster.ROOT),
        "@ACCESS_LOG@": "/dev/stdout upstreamlog"
        if os.environ.get("CLUSTER_ACCESS_LOG")
        else "off",
        "@HTTP_PORT@": str(cluster.HTTP_PORT),
        "@WEB_A_PORT@": str(cluster.WEB_PORTS["web-a"]),
        "@WEB_B_PORT@": str(cluster.WEB_PORTS["web-b"]),
        "@STATIC_ROOT@": env["STATIC_ROOT"],
        "@PROTECTED_ROOT@": env["PROTECTED_MEDIA_ROOT"],
    }
    text = (cluster.ROOT / "deploy" / "cluster" / "nginx.conf.template").read_text()
    for key, value in values.items():
        text = text.replace(key, value)
    (run / "nginx.conf").write_text(text)
    shutil.copy(cluster.ROOT / "deploy" / "cluster" / "proxy_params.conf", run)
    os.makedirs(env["PROTECTED_MEDIA_ROOT"], exist_ok=True)


def supervise(procs: dict[str, Process], stopping: threading.Event) -> None:
    """Start again whatever exited, a second later, unless it is held or we are stopping."""
    while not stopping.wait(0.5):
        for p in procs.values():
            if p.proc is not None and p.proc.poll() is None:
                continue
            if p.held:
                continue
            if p.proc is not None and time.monotonic() - p.started_at < 1:
                continue
            if p.proc is not None:
                p.restarts += 1
                say("cluster", f"{p.name} exited ({p.proc.returncode}): starting it again")
            p.start()


def main() -> None:
    for sub in ("pids", "hold", "mail", "prometheus"):
        (cluster.VAR / sub).mkdir(parents=True, exist_ok=True)
    for stale in [*(cluster.VAR / "hold").iterdir(), *(cluster.VAR / "prometheus").iterdir()]:
        stale.unlink()
    (cluster.VAR / "ready").unlink(missing_ok=True)
    procs = processes()
    stopping = STOPPING

    def shutdown(*_):
        stopping.set()

    signal.signal(signal.SIGINT, shutdown)
    signal.signal(signal.SIGTERM, shutdown)
    manage = [str(cluster.VENV_BIN / "python"), "manage.py"]
    try:
        prepare_postgres()
        procs["primary"].start()
        wait_for("the primary", lambda: pg_ready(cluster.PRIMARY_PORT))
        procs["redis"].start()
        run_step("setup", [*manage, "ensure_database"])
        prepare_replica()
        procs["replica"].start()
        wait_for("the replica", lambda: pg_ready(cluster.REPLICA_PORT))
        run_step("setup", [*manage, "migrate", "--no-input", "-v", "0"])
        run_step("setup", [*manage, "collectstatic", "--no-input", "-v", "0"])
        run_step("setup", [*manage, "bootstrap_demo"])
        render_nginx()
        for name in ("web-a", "web-b", "worker", "beat"):
            procs[name].start()
        for name, port in cluster.WEB_PORTS.items():
            wait_for(name, lambda port=port: http_ok(f"http://127.0.0.1:{port}/healthz"))
        procs["nginx"].start()
        wait_for("nginx", lambda: http_ok(f"{cluster.BASE_URL}/readyz"))
        (cluster.VAR / "ready").write_text(str(os.getpid()))
        say("cluster", f"ready on {cluster.BASE_URL} (Ctrl-C stops everything)", "1;32")
        threading.Thread(target=supervise, args=(procs, stopping), daemon=True).start()
        while not stopping.wait(1):
            pass
    finally:
        stopping.set()
        (cluster.VAR / "ready").unlink(missing_ok=True)
        say("cluster", "stopping")
        for p in reversed(list(procs.values())):
            p.stop()
        say("cluster", "stopped")


if __name__ == "__main__":
    main()
