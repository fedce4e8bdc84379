"""pgBackRest settings from the environment, and the configuration files they render to.

Everything has a local default (a repository under var/pgbackrest, encrypted) so that
`make backup` works on a fresh clone; production points the repository at S3-compatible
object storage with the PGBACKREST_REPO1_* variables below.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from string import Template

BASE_DIR = Path(__file__).resolve().parent.parent.parent
TEMPLATE = BASE_DIR / "deploy" / "backup" / "pgbackrest.conf.template"
CIPHER_TYPES = ("aes-256-cbc", "none")
REPO_TYPES = ("posix", "s3")


class ConfigError(Exception):
    """A backup setting is missing or not one that pgBackRest accepts."""


@dataclass(frozen=True)
class BackupSettings:
    stanza: str
    repo_type: str
    repo_path: str
    retention_full: int
    cipher_type: str
    process_max: int
    state_dir: Path
    pg_path: Path
    pg_port: int
    pg_socket_dir: Path
    archive_timeout: int
    s3_bucket: str = ""
    s3_endpoint: str = ""
    s3_region: str = ""
    s3_uri_style: str = "host"
    s3_verify_tls: bool = True

    @property
    def config_path(self) -> Path:
        return self.state_dir / "pgbackrest.conf"


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name, "") or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def load_settings(env: Mapping[str, str] | None = None, *, base_dir: Path = BASE_DIR):
    """Read the backup settings (see docs/operations.md, "Backups") from env or os.environ."""
    env = os.environ if env is None else env
    state_dir = Path(env.get("BACKUP_PG_DIR") or base_dir / "var" / "backup-pg")
    repo_type = env.get("PGBACKREST_REPO1_TYPE", "posix") or "posix"
    if repo_type not in REPO_TYPES:
        raise ConfigError(f"PGBACKREST_REPO1_TYPE must be one of {', '.join(REPO_TYPES)}")
    cipher_type = env.get("PGBACKREST_REPO1_CIPHER_TYPE", "aes-256-cbc") or "aes-256-cbc"
    if cipher_type not in CIPHER_TYPES:
        raise ConfigError(f"PGBACKREST_REPO1_CIPHER_TYPE must be one of {', '.join(CIPHER_TYPES)}")
    default_repo = "/dataschool" if repo_type == "s3" else str(base_dir / "var" / "pgbackrest")
    settings = BackupSettings(
        stanza=env.get("PGBACKREST_STANZA", "dataschool") or "dataschool",
        repo_type=repo_type,
        repo_path=env.get("PGBACKREST_REPO1_PATH") or default_repo,
        retention_full=_int(env, "PGBACKREST_REPO1_RETENTION_FULL", 2),
        cipher_type=cipher_type,
        process_max=_int(env, "PGBACKREST_PROCESS_MAX", 2),
        state_dir=state_dir,
        pg_path=Path(env.get("BACKUP_PG_DATA") or state_dir / "primary"),
        pg_port=_int(env, "BACKUP_PG_PORT", 5440),
        pg_socket_dir=state_dir / "run",
        archive_timeout=_int(env, "BACKUP_ARCHIVE_TIMEOUT", 60),
        s3_bucket=env.get("PGBACKREST_REPO1_S3_BUCKET", ""),
        s3_endpoint=env.get("PGBACKREST_REPO1_S3_ENDPOINT", ""),
        s3_region=env.get("PGBACKREST_REPO1_S3_REGION", ""),
        s3_uri_style=env.get("PGBACKREST_REPO1_S3_URI_STYLE", "host") or "host",
        s3_verify_tls=env.get("PGBACKREST_REPO1_S3_VERIFY_TLS", "y") not in ("n", "false", "0"),
    )
    if repo_type == "s3":
        missing = [
            name
            for name, value in [
                ("PGBACKREST_REPO1_S3_BUCKET", settings.s3_bucket),
                ("PGBACKREST_REPO1_S3_ENDPOINT", settings.s3_endpoint),
                ("PGBACKREST_REPO1_S3_REGION", settings.s3_region),
                ("PGBACKREST_REPO1_S3_KEY", env.get("PGBACKREST_REPO1_S3_KEY", "")),
                ("PGBACKREST_REPO1_S3_KEY_SECRET", env.get("PGBACKREST_REPO1_S3_KEY_SECRET", "")),
            ]
            if not value
        ]
        if missing:
            raise ConfigError(f"repo1-type=s3 needs {', '.join(missing)}")
    return settings


def _repo_options(settings: BackupSettings) -> str:
    lines = [f"repo1-type={settings.repo_type}", f"repo1-path={settings.repo_path}"]
    if settings.repo_type == "s3":
        lines += [
            f"repo1-s3-bucket={settings.s3_bucket}",
            f"repo1-s3-endpoint={settings.s3_endpoint}",
            f"repo1-s3-region={settings.s3_region}",
            f"repo1-s3-uri-style={settings.s3_uri_style}",
            f"repo1-storage-verify-tls={'y' if settings.s3_verify_tls else 'n'}",
        ]
    return "\n".join(lines)


def render_config(settings: BackupSettings, template: Path = TEMPLATE) -> str:
    """pgbackrest.conf for these settings; secrets stay in the environment, never in the file."""
    return Template(template.read_text()).substitute(
        repo_options=_repo_options(settings),
        retention_full=settings.retention_full,
        cipher_type=settings.cipher_type,
        process_max=settings.process_max,
        state_dir=settings.state_dir,
        stanza=settings.stanza,
        pg_path=settings.pg_path,
        pg_port=settings.pg_port,
        pg_socket_dir=settings.pg_socket_dir,
    )


def recovery_target(moment: datetime) -> str:
    """A time as pgBackRest's --target and PostgreSQL's recovery_target_time read it.

    pgBackRest's automatic choice of backup set does not parse ISO's "T"; UTC with "+00" is
    unambiguous whatever the server's time zone.
    """
    if moment.tzinfo is None:
        raise ConfigError("A recovery target needs a time zone.")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00")


def archive_command(settings: BackupSettings) -> str:
    return f"pgbackrest --config={settings.config_path} --stanza={settings.stanza} archive-push %p"


def primary_conf(settings: BackupSettings) -> str:
    """The postgresql.conf lines that make a cluster archive every WAL segment to pgBackRest.

    archive_timeout forces a segment switch on a quiet server, so at most that many seconds
    of commits live only on the primary: it is the bound on data lost (RPO).
    """
    return "\n".join(
        [
            "# Data School: continuous WAL archiving to pgBackRest (core/backups/pgbackrest.py)",
            "listen_addresses = '127.0.0.1'",
            f"port = {settings.pg_port}",
            f"unix_socket_directories = '{settings.pg_socket_dir}'",
            "wal_level = replica",
            "archive_mode = on",
            f"archive_command = '{archive_command(settings)}'",
            f"archive_timeout = {settings.archive_timeout}",
            "max_wal_senders = 3",
            "shared_buffers = 64MB",
            "max_connections = 40",
            "",
        ]
    )


def restored_conf(*, port: int, socket_dir: Path) -> str:
    """postgresql.auto.conf lines for a restored copy: its own port, and it archives nothing.

    A restored cluster promoted onto a new timeline must not push WAL into the primary's
    repository under the same stanza.
    """
    return "\n".join(
        [
            "# Data School restore target: own port, no archiving",
            f"port = {port}",
            f"unix_socket_directories = '{socket_dir}'",
            "archive_mode = off",
            "",
        ]
    )
