"""PostgreSQL clusters of our own under var/, and pgBackRest, run as the `postgres` user.

PostgreSQL refuses to run as root, so when this runs as root every server and pgBackRest
command goes through `runuser -u postgres` and the files it writes belong to postgres.
Nothing here touches the machine's shared server: each cluster has its own data folder,
port and socket folder.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

from core.backups.pgbackrest import (
    BackupSettings,
    primary_conf,
    recovery_target,
    render_config,
    restored_conf,
)

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
RUN_AS = "postgres"
CIPHER_ENV = "PGBACKREST_REPO1_CIPHER_PASS"


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", RUN_AS, "--", *args] if os.geteuid() == 0 else args


def run(args: list[str], *, capture: bool = False, check: bool = True, env=None):
    """Run a server-side command as postgres (cwd /tmp: postgres may not read ours).

    On failure the captured output is printed, so pgBackRest's own message reaches the reader.
    """
    done = subprocess.run(  # noqa: S603 (arguments are ours, never a shell)
        _as_postgres(args),
        cwd="/tmp",  # noqa: S108
        check=False,
        text=True,
        errors="replace",  # pgBackRest quotes undecryptable bytes in its messages
        capture_output=capture,
        env=env,
    )
    if check and done.returncode != 0:
        if capture:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise subprocess.CalledProcessError(done.returncode, args)
    return done


def own(path: Path, mode: int = 0o750) -> None:
    """Create path (and parents) and hand it to postgres when we are root."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        entry = pwd.getpwnam(RUN_AS)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    path.chmod(mode)


def check_reachable(path: Path) -> None:
    """postgres must be able to walk to our var/ folder (a checkout under /root may not be)."""
    if os.geteuid() != 0:
        return
    while not path.exists():  # the nearest folder that exists is the one to probe
        path = path.parent
    probe = run(["test", "-x", str(path)], check=False)
    if probe.returncode != 0:
        raise SystemExit(
            f"The {RUN_AS} user cannot enter {path}: give the folders above it o+x, "
            "or set BACKUP_PG_DIR and PGBACKREST_REPO1_PATH to folders it can reach."
        )


def cipher_env(settings: BackupSettings) -> dict[str, str]:
    """The environment for pgBackRest and the primary, with the repository passphrase.

    Production sets PGBACKREST_REPO1_CIPHER_PASS from its secret store. A local repository
    without it gets a random passphrase kept in var/backup-pg/repo-cipher-pass (0600), so
    `make backup` works on a fresh clone; losing that file means losing those backups.
    """
    env = dict(os.environ)
    if settings.cipher_type == "none" or env.get(CIPHER_ENV):
        return env
    if settings.repo_type != "posix":
        raise SystemExit(f"{CIPHER_ENV} must be set for an encrypted object-storage repository.")
    stored = settings.state_dir / "repo-cipher-pass"
    if not stored.exists():
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(secrets.token_urlsafe(48))
        stored.chmod(0o600)
    env[CIPHER_ENV] = stored.read_text().strip()
    return env


@dataclass
class Cluster:
    data: Path
    port: int
    socket_dir: Path

    @property
    def log_file(self) -> Path:
        return self.data.parent / f"{self.data.name}.log"

    def exists(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def running(self) -> bool:
        if not self.exists():
            return False
        status = run(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"], capture=True, check=False
        )
        return status.returncode == 0

    def init(self, extra_conf: str) -> None:
        own(self.data, 0o700)
        run(
            [
                str(PG_BIN / "initdb"),
                "-D", str(self.data),
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--data-checksums",
            ],
            capture=True,
        )  # fmt: skip
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n" + extra_conf)

    def start(self, env: dict[str, str] | None = None) -> None:
        own(self.socket_dir, 0o755)
        own(self.log_file.parent, 0o750)
        run(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log_file),
             "-w", "-t", "600", "start"],
            capture=True,
            env=env,
        )  # fmt: skip

    def stop(self) -> None:
        if self.running():
            run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                capture=True)  # fmt: skip

    def url(self, dbname: str = "dataschool") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True
        )

    def ensure_database(self, name: str = "dataschool") -> None:
        with self.connect() as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')

    def wait_until_promoted(self, timeout: float = 900) -> None:
        """After a restore the server accepts reads while it replays: wait for the end."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with self.connect() as conn:
                    if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                        return
            except psycopg.OperationalError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"The restored cluster on port {self.port} is still recovering.")


def primary_cluster(settings: BackupSettings) -> Cluster:
    return Cluster(data=settings.pg_path, port=settings.pg_port, socket_dir=settings.pg_socket_dir)


def write_config(settings: BackupSettings) -> None:
    for folder in (settings.state_dir, settings.state_dir / "log", settings.state_dir / "lock"):
        own(folder)
    if settings.repo_type == "posix":
        own(Path(settings.repo_path))
    settings.config_path.write_text(render_config(settings))
    settings.config_path.chmod(0o644)


def pgbackrest(
    settings: BackupSettings, *args: str, env: dict[str, str], capture: bool = False, check=True
):
    return run(
        ["pgbackrest", f"--config={settings.config_path}", f"--stanza={settings.stanza}", *args],
        env=env,
        capture=capture,
        check=check,
    )


def backup_sets(settings: BackupSettings, env: dict[str, str]) -> list[dict]:
    """The repository's backups (pgbackrest info), oldest first; empty for a new stanza."""
    out = pgbackrest(settings, "info", "--output=json", env=env, capture=True).stdout
    stanzas = json.loads(out or "[]")
    return stanzas[0].get("backup", []) if stanzas else []


def take_backup(settings: BackupSettings, env: dict[str, str]) -> str:
    """Full when the repository has none yet, incremental otherwise; returns the type."""
    kind = "incr" if any(b["type"] == "full" for b in backup_sets(settings, env)) else "full"
    began = time.monotonic()
    pgbackrest(settings, "backup", f"--type={kind}", env=env, capture=True)
    newest = backup_sets(settings, env)[-1]
    print(
        f"pgBackRest {kind} backup {newest['label']} in {time.monotonic() - began:.1f} s "
        f"({newest['info']['repository']['delta'] / 1e6:.1f} MB stored)",
        flush=True,
    )
    return kind


def ensure_primary(settings: BackupSettings, env: dict[str, str]) -> bool:
    """The archiving primary exists, runs, has a database and a stanza; True if we started it."""
    check_reachable(settings.state_dir)
    write_config(settings)
    cluster = primary_cluster(settings)
    if not cluster.exists():
        cluster.init(primary_conf(settings))
    started = False
    if not cluster.running():
        # The passphrase goes into the server's environment: archive_command inherits it.
        cluster.start(env)
        started = True
    cluster.ensure_database()
    pgbackrest(settings, "stanza-create", env=env, capture=True)
    return started


def restore(
    settings: BackupSettings,
    *,
    env: dict[str, str],
    target: Cluster,
    target_time: datetime | None = None,
) -> None:
    """Restore the newest backup (and all archived WAL), or the state at target_time, into
    target's empty data folder. pgBackRest picks a backup set that ended before the time."""
    target.stop()
    if target.data.exists():
        shutil.rmtree(target.data)
    own(target.data, 0o700)
    args = ["restore", f"--pg1-path={target.data}"]
    if target_time is not None:
        args += [
            "--type=time",
            f"--target={recovery_target(target_time)}",
            "--target-action=promote",
        ]
    pgbackrest(settings, *args, env=env, capture=True)
    with open(target.data / "postgresql.auto.conf", "a") as conf:
        conf.write("\n" + restored_conf(port=target.port, socket_dir=target.socket_dir))
