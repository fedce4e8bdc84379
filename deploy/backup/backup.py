"""Backups now, and the WAL-archiving PostgreSQL they are taken from (Makefile targets).

    python deploy/backup/backup.py start     # make backup-cluster: create/start it, migrate
    python deploy/backup/backup.py stop      # make backup-cluster-stop
    python deploy/backup/backup.py backup    # make backup: full if none yet, else incremental,
                                             # then the uploaded files

The machine's shared PostgreSQL is never reconfigured: the archiving primary is a cluster of
its own (var/backup-pg/primary, port 5440; BACKUP_PG_DIR, BACKUP_PG_PORT to change).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BASE_DIR))

from core.backups.cluster import (  # noqa: E402
    cipher_env,
    ensure_primary,
    primary_cluster,
    take_backup,
)
from core.backups.pgbackrest import load_settings  # noqa: E402

PYTHON = sys.executable


def manage(*args: str, database_url: str, extra_env: dict[str, str] | None = None) -> None:
    """manage.py against the archiving primary (the app's own .env names another database)."""
    env = {**os.environ, "DATABASE_URL": database_url, **(extra_env or {})}
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def start(settings, env) -> bool:
    started = ensure_primary(settings, env)
    cluster = primary_cluster(settings)
    manage("migrate", "--no-input", "-v", "0", database_url=cluster.url())
    return started


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "backup"
    settings = load_settings()
    env = cipher_env(settings)
    cluster = primary_cluster(settings)
    if command == "start":
        start(settings, env)
        print(f"Archiving primary up: {cluster.url()} (data {cluster.data})")
    elif command == "stop":
        cluster.stop()
        print("Archiving primary stopped.")
    elif command == "backup":
        started = start(settings, env)
        try:
            take_backup(settings, env)
            manage("backup_files", database_url=cluster.url())
        finally:
            # Leave the machine as we found it: a primary we started for this backup stops.
            if started:
                cluster.stop()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
