"""Restore drill: prove that the backups bring back the latest state and an earlier moment.

    python deploy/backup/restore_drill.py               # make restore-drill (5-minute window)
    python deploy/backup/restore_drill.py --window 20   # test mode: a shorter window

1. The archiving primary (port 5440) gets the app's schema, the demo courses and learners
   who enrol, buy (local test gateway) and study, with avatars and lesson files.
2. A backup (full if none, else incremental); more changes; checkpoint T: counts and digests
   of orders, enrollments and progress, and the SHA-256 of every uploaded file.
3. Changes go on for the window (default 300 s), then a second backup and a few more
   changes (the latest state, in WAL only), and the WAL is archived.
4. Into a scratch cluster (port 5441): restore (a) the latest state and (b) the state at T,
   five minutes earlier; restore the files of each moment; run `manage.py check` and serve
   the app with gunicorn; compare rows, files and pages with what was recorded.
Prints the restore times (RTO) and the bound on lost commits (RPO); exits 1 on any
difference. Every cluster and server it started is stopped at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BASE_DIR))

from core.backups.cluster import (  # noqa: E402
    CIPHER_ENV,
    Cluster,
    cipher_env,
    ensure_primary,
    pgbackrest,
    primary_cluster,
    restore,
    take_backup,
)
from core.backups.files import BackupError, find_manifest, restore_snapshot, scan  # noqa: E402
from core.backups.pgbackrest import load_settings  # noqa: E402

PYTHON = sys.executable
DRILL_DIR = BASE_DIR / "var" / "backup-drill"
RESTORE_PORT = int(os.environ.get("BACKUP_RESTORE_PORT", "5441"))
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


def app_env(database_url: str, files: Path) -> dict[str, str]:
    """The app pointed at one cluster and one set of upload folders, touching nobody else's."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(files / "media"),
        "PROTECTED_MEDIA_ROOT": str(files / "protected"),
        "FILE_BACKUP_DIR": str(DRILL_DIR / "file-backups"),
        "CACHE_KEY_PREFIX": f"dsdrill-{os.getpid()}",
        # Receipts are rendered inline, not queued on the shared broker for others' workers.
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PAYMENTS_GATEWAY": "local",
        "LOG_LEVEL": "WARNING",
    }


def python(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603
        [PYTHON, *args], cwd=BASE_DIR, env=env, check=False, text=True, capture_output=True
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise subprocess.CalledProcessError(done.returncode, args)
    return done.stdout.strip()


def db_now(cluster: Cluster) -> datetime:
    with cluster.connect("dataschool") as conn:
        return conn.execute("SELECT clock_timestamp()").fetchone()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


class Drill:
    def __init__(self, window: int) -> None:
        self.window = window
        self.settings = load_settings()
        self.env = cipher_env(self.settings)
        self.primary = primary_cluster(self.settings)
        self.scratch = Cluster(
            data=self.settings.state_dir / "restore",
            port=RESTORE_PORT,
            socket_dir=self.settings.state_dir / "run",
        )
        self.live_env = app_env(self.primary.url(), DRILL_DIR / "live")
        self.failures: list[str] = []
        self.started_primary = False

    # --- Making history -------------------------------------------------------------------
    def prepare(self) -> None:
        if self.settings.cipher_type == "none":
            raise SystemExit("The drill proves encryption: unset PGBACKREST_REPO1_CIPHER_TYPE.")
        self.started_primary = ensure_primary(self.settings, self.env)
        say(f"Archiving primary up on port {self.primary.port} ({self.primary.data})")
        python("manage.py", "migrate", "--no-input", "-v", "0", env=self.live_env)
        python("manage.py", "seed_demo", "-v", "0", env=self.live_env)
        say("Schema migrated, demo courses and learners seeded")

    def activity(self) -> None:
        number = python("deploy/backup/drill_app.py", "activity", env=self.live_env)
        say(f"Round {number}: 2 learners, 1 paid order, 2 enrollments, 3 lessons done, files")

    def state(self, env: dict[str, str]) -> dict:
        return json.loads(python("deploy/backup/drill_app.py", "snapshot", env=env))

    def checkpoint(self, label: str) -> dict:
        """Rows and file checksums now, a file backup, and the database time just after."""
        rows = self.state(self.live_env)
        python("manage.py", "backup_files", env=self.live_env)
        files = {name: scan(DRILL_DIR / "live" / name) for name in ("media", "protected")}
        moment = db_now(self.primary)
        time.sleep(1)  # no commit shares the checkpoint's instant
        say(
            f"Checkpoint {label} at {moment.isoformat(timespec='seconds')}: "
            f"{rows['orders']['count']} orders, {rows['enrollments']['count']} enrollments, "
            f"{rows['progress']['count']} progress rows, "
            f"{sum(len(f) for f in files.values())} files"
        )
        return {"rows": rows, "files": files, "time": moment}

    def history(self) -> tuple[dict, dict]:
        self.activity()
        take_backup(self.settings, self.env)
        self.activity()  # after the backup: reaching T needs the archived WAL
        earlier = self.checkpoint("T")
        deadline = time.monotonic() + self.window
        say(f"Changing data for {self.window} s, so that T is that long before the latest state")
        while time.monotonic() < deadline:
            self.activity()
            time.sleep(min(max(self.window / 8, 1), max(deadline - time.monotonic(), 0)))
        take_backup(self.settings, self.env)
        self.activity()  # after the newest backup: only the WAL archive has it
        latest = self.checkpoint("latest")
        gap = (latest["time"] - earlier["time"]).total_seconds()
        say(f"T is {gap:.0f} s before the latest checkpoint")
        # check switches to a new WAL segment and waits until it is archived.
        pgbackrest(self.settings, "check", env=self.env, capture=True)
        with self.primary.connect() as conn:
            age = conn.execute(
                "SELECT extract(epoch FROM now() - last_archived_time) FROM pg_stat_archiver"
            ).fetchone()[0]
        say(f"WAL archived; the newest segment reached the repository {float(age):.1f} s ago")
        return earlier, latest

    def prove_encryption(self) -> None:
        """The repository holds ciphertext: a wrong passphrase reads nothing, and its files are
        OpenSSL-format ciphertext ("Salted__"), not pgBackRest's plain-text info format."""
        env = {**self.env, CIPHER_ENV: "not-the-passphrase"}
        probe = pgbackrest(
            self.settings, "info", "--output=json", env=env, capture=True, check=False
        )
        try:
            status = json.loads(probe.stdout, strict=False)[0]["status"]["code"]
        except (ValueError, LookupError):
            status = probe.returncode or "no answer"
        sealed = status != 0
        if self.settings.repo_type == "posix":
            info = Path(self.settings.repo_path) / "backup" / self.settings.stanza / "backup.info"
            sealed = sealed and info.read_bytes().startswith(b"Salted__")
        if sealed:
            say(f"Repository is {self.settings.cipher_type}: a wrong passphrase reads nothing")
        else:
            self.failures.append("the repository could be read without its passphrase")

    # --- Restoring ------------------------------------------------------------------------
    def restore_and_verify(self, label: str, expected: dict, target_time) -> float:
        """Restore the database and files of one moment, start the app on them, compare."""
        began = time.monotonic()
        restore(self.settings, env=self.env, target=self.scratch, target_time=target_time)
        self.scratch.start(self.env)  # restore_command needs the passphrase
        self.scratch.wait_until_promoted()
        files_dir = DRILL_DIR / f"restored-{label}"
        manifest = find_manifest(DRILL_DIR / "file-backups", at=expected["time"])
        try:
            restore_snapshot(
                manifest=manifest,
                dest=DRILL_DIR / "file-backups",
                targets={name: files_dir / name for name in ("media", "protected")},
                prune=True,
            )
        except BackupError as exc:
            self.failures.append(f"{label}: {exc}")
        env = app_env(self.scratch.url(), files_dir)
        python("manage.py", "check", env=env)
        rto = self.serve_and_probe(label, env)
        say(f"{label}: database and files restored, app answering in {rto - began:.1f} s")
        self.compare(label, expected, self.state(env), files_dir)
        self.scratch.stop()
        return rto - began

    def serve_and_probe(self, label: str, env: dict[str, str]) -> float:
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", "1", "--log-level", "warning"],
            cwd=BASE_DIR, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    if fetch(f"{base}/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.25)
            answered = time.monotonic()
            with self.scratch.connect("dataschool") as conn:
                slug = conn.execute(
                    "SELECT slug FROM courses_course WHERE status = 'published' ORDER BY id"
                ).fetchone()[0]
                avatar = conn.execute(
                    "SELECT avatar FROM accounts_user WHERE avatar <> '' ORDER BY id DESC"
                ).fetchone()[0]
            media = Path(env["MEDIA_ROOT"]) / avatar
            for path, want in [
                ("/readyz", None),
                ("/", None),
                ("/courses/", None),
                (f"/courses/{slug}/", None),
                (f"/media/{avatar}", hashlib.sha256(media.read_bytes()).hexdigest()),
            ]:
                status, body = fetch(base + path)
                good = status == 200 and (want is None or hashlib.sha256(body).hexdigest() == want)
                say(f"{label}: GET {path} -> {status}{'' if good else '  MISMATCH'}")
                if not good:
                    self.failures.append(f"{label}: GET {path} answered {status}")
            return answered
        finally:
            server.terminate()
            server.wait(timeout=30)

    def compare(self, label: str, expected: dict, actual: dict, files_dir: Path) -> None:
        for key, want in expected["rows"].items():
            got = actual.get(key)
            ok = got == want
            say(f"{label}: {key:21} expected {json.dumps(want)}  restored {json.dumps(got)}"
                f"  {'ok' if ok else 'DIFFERENT'}")  # fmt: skip
            if not ok:
                self.failures.append(f"{label}: {key} differs")
        for name, want in expected["files"].items():
            got = scan(files_dir / name)
            ok = {k: v.sha256 for k, v in got.items()} == {k: v.sha256 for k, v in want.items()}
            say(f"{label}: files/{name:15} expected {len(want)} files  restored {len(got)} "
                f"(SHA-256 {'all equal' if ok else 'DIFFERENT'})")  # fmt: skip
            if not ok:
                self.failures.append(f"{label}: files in {name} differ")

    def finish(self) -> None:
        self.scratch.stop()
        if self.started_primary:
            self.primary.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=int, default=300, help="seconds between T and latest")
    window = parser.parse_args().window
    if window < 300:
        say(f"TEST MODE: a {window} s window instead of the 5 minutes the procedure asks for")
    drill = Drill(window)
    try:
        drill.prepare()
        earlier, latest = drill.history()
        drill.prove_encryption()
        rto_latest = drill.restore_and_verify("latest", latest, None)
        rto_earlier = drill.restore_and_verify("T", earlier, earlier["time"])
    finally:
        drill.finish()
    gap = (latest["time"] - earlier["time"]).total_seconds()
    if earlier["rows"] == latest["rows"]:
        drill.failures.append("nothing changed between T and the latest state: T proves nothing")
    for cluster in (drill.scratch, drill.primary if drill.started_primary else None):
        if cluster is not None and cluster.running():
            drill.failures.append(f"the cluster in {cluster.data} is still running")
    print()
    print(f"RTO: latest state restored and serving in {rto_latest:.1f} s; "
          f"point in time T ({gap:.0f} s earlier) in {rto_earlier:.1f} s")  # fmt: skip
    print(f"RPO: at most archive_timeout = {drill.settings.archive_timeout} s of commits "
          "(plus the segment being pushed) are lost if the primary's disk is lost; "
          "the WAL archive held everything when it was checked")  # fmt: skip
    if drill.failures:
        print("DRILL FAILED:\n  " + "\n  ".join(drill.failures))
        return 1
    print("DRILL PASSED: orders, enrollments, progress and files match at both moments.")
    print("All clusters and servers the drill started are stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
