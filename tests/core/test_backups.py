"""File backups (SHA-256 manifests) and the pgBackRest configuration they render."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.backups.cluster import cipher_env
from core.backups.files import (
    BackupError,
    find_manifest,
    load_manifest,
    restore_snapshot,
    sha256_file,
    take_snapshot,
)
from core.backups.pgbackrest import (
    ConfigError,
    load_settings,
    primary_conf,
    recovery_target,
    render_config,
    restored_conf,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def uploads(tmp_path: Path) -> dict[str, Path]:
    media, protected = tmp_path / "media", tmp_path / "protected"
    (media / "avatars" / "1").mkdir(parents=True)
    (media / "avatars" / "1" / "me.jpg").write_bytes(b"\xff\xd8 first avatar")
    (media / "covers").mkdir()
    (media / "covers" / "sql.png").write_bytes(b"\x89PNG cover")
    (protected / "lesson-files").mkdir(parents=True)
    (protected / "lesson-files" / "notes.pdf").write_bytes(b"%PDF paid notes")
    return {"media": media, "protected": protected}


def test_snapshot_manifest_records_the_sha256_of_every_upload(uploads, tmp_path):
    manifest = take_snapshot(roots=uploads, dest=tmp_path / "backup", now=T0)

    created_at, roots = load_manifest(manifest)
    assert created_at == T0
    assert sorted(roots["media"]) == ["avatars/1/me.jpg", "covers/sql.png"]
    notes = uploads["protected"] / "lesson-files" / "notes.pdf"
    assert roots["protected"]["lesson-files/notes.pdf"].sha256 == sha256_file(notes)
    assert roots["protected"]["lesson-files/notes.pdf"].size == notes.stat().st_size


def test_an_unchanged_file_is_stored_once_across_snapshots(uploads, tmp_path):
    dest = tmp_path / "backup"
    take_snapshot(roots=uploads, dest=dest, now=T0)
    (uploads["media"] / "covers" / "copy.png").write_bytes(b"\x89PNG cover")
    take_snapshot(roots=uploads, dest=dest, now=T0 + timedelta(hours=1))

    objects = [path for path in (dest / "objects").rglob("*") if path.is_file()]
    assert len(objects) == 3  # avatar, cover (twice, same content), notes


def test_restore_brings_the_files_back_as_they_were_at_the_snapshot(uploads, tmp_path):
    dest = tmp_path / "backup"
    manifest = take_snapshot(roots=uploads, dest=dest, now=T0)
    (uploads["media"] / "covers" / "sql.png").write_bytes(b"a newer cover")
    (uploads["protected"] / "lesson-files" / "notes.pdf").unlink()
    (uploads["media"] / "avatars" / "1" / "later.jpg").write_bytes(b"uploaded after")

    restored = restore_snapshot(manifest=manifest, dest=dest, targets=uploads, prune=True)

    assert restored == 3
    assert (uploads["media"] / "covers" / "sql.png").read_bytes() == b"\x89PNG cover"
    assert (uploads["protected"] / "lesson-files" / "notes.pdf").read_bytes() == b"%PDF paid notes"
    assert not (uploads["media"] / "avatars" / "1" / "later.jpg").exists()


def test_restore_keeps_newer_files_when_not_pruning(uploads, tmp_path):
    dest = tmp_path / "backup"
    manifest = take_snapshot(roots=uploads, dest=dest, now=T0)
    later = uploads["media"] / "avatars" / "1" / "later.jpg"
    later.write_bytes(b"uploaded after")

    restore_snapshot(manifest=manifest, dest=dest, targets=uploads, prune=False)

    assert later.exists()


def test_restore_fails_on_a_corrupted_backup_copy_and_names_the_file(uploads, tmp_path):
    dest = tmp_path / "backup"
    manifest = take_snapshot(roots=uploads, dest=dest, now=T0)
    _, roots = load_manifest(manifest)
    digest = roots["media"]["covers/sql.png"].sha256
    (dest / "objects" / digest[:2] / digest).write_bytes(b"bit rot")
    target = {"media": tmp_path / "restored"}

    with pytest.raises(BackupError, match=r"covers/sql\.png"):
        restore_snapshot(manifest=manifest, dest=dest, targets=target, prune=True)
    assert not (tmp_path / "restored" / "covers" / "sql.png").exists()


def test_restore_refuses_a_manifest_path_outside_the_target(uploads, tmp_path):
    dest = tmp_path / "backup"
    manifest = take_snapshot(roots=uploads, dest=dest, now=T0)
    manifest.write_text(manifest.read_text().replace('"covers/sql.png"', '"../escape.png"'))

    with pytest.raises(BackupError, match="Unsafe path"):
        restore_snapshot(manifest=manifest, dest=dest, targets=uploads, prune=False)
    assert not (tmp_path / "escape.png").exists()


def test_the_manifest_for_a_point_in_time_is_the_newest_taken_before_it(uploads, tmp_path):
    dest = tmp_path / "backup"
    first = take_snapshot(roots=uploads, dest=dest, now=T0)
    second = take_snapshot(roots=uploads, dest=dest, now=T0 + timedelta(minutes=10))

    assert find_manifest(dest, at=T0 + timedelta(minutes=5)) == first
    assert find_manifest(dest, at=T0 + timedelta(minutes=10)) == second
    assert find_manifest(dest) == second
    with pytest.raises(BackupError, match="No file backup manifest"):
        find_manifest(dest, at=T0 - timedelta(seconds=1))


def test_backup_files_and_restore_files_commands_round_trip(uploads, tmp_path, settings):
    settings.MEDIA_ROOT = str(uploads["media"])
    settings.PROTECTED_MEDIA_ROOT = str(uploads["protected"])
    settings.FILE_BACKUP_DIR = str(tmp_path / "backup")
    call_command("backup_files")
    (uploads["media"] / "covers" / "sql.png").write_bytes(b"changed since")

    with pytest.raises(CommandError, match=r"checksum differs: covers/sql\.png"):
        call_command("restore_files", "--verify-only")
    call_command("restore_files")
    call_command("restore_files", "--verify-only")

    assert (uploads["media"] / "covers" / "sql.png").read_bytes() == b"\x89PNG cover"


# --- pgBackRest configuration --------------------------------------------------------------


def test_the_default_repository_is_local_and_encrypted_without_the_passphrase_in_the_file(
    tmp_path,
):
    settings = load_settings({"PGBACKREST_REPO1_CIPHER_PASS": "s3cret-pass"}, base_dir=tmp_path)

    config = render_config(settings)

    assert "repo1-type=posix" in config
    assert f"repo1-path={tmp_path / 'var' / 'pgbackrest'}" in config
    assert "repo1-cipher-type=aes-256-cbc" in config
    assert "repo1-retention-full=2" in config
    assert f"pg1-path={tmp_path / 'var' / 'backup-pg' / 'primary'}" in config
    assert "pg1-port=5440" in config
    assert "s3cret-pass" not in config


def test_an_s3_repository_is_rendered_from_the_environment_with_keys_kept_out(tmp_path):
    env = {
        "PGBACKREST_REPO1_TYPE": "s3",
        "PGBACKREST_REPO1_S3_BUCKET": "ds-backups",
        "PGBACKREST_REPO1_S3_ENDPOINT": "s3.eu-central-1.amazonaws.com",
        "PGBACKREST_REPO1_S3_REGION": "eu-central-1",
        "PGBACKREST_REPO1_S3_KEY": "AKIAEXAMPLE",
        "PGBACKREST_REPO1_S3_KEY_SECRET": "very-secret",
        "PGBACKREST_REPO1_RETENTION_FULL": "4",
    }

    config = render_config(load_settings(env, base_dir=tmp_path))

    assert "repo1-type=s3" in config
    assert "repo1-s3-bucket=ds-backups" in config
    assert "repo1-s3-region=eu-central-1" in config
    assert "repo1-path=/dataschool" in config
    assert "repo1-retention-full=4" in config
    assert "AKIAEXAMPLE" not in config and "very-secret" not in config


def test_an_s3_repository_without_credentials_is_refused(tmp_path):
    env = {"PGBACKREST_REPO1_TYPE": "s3", "PGBACKREST_REPO1_S3_BUCKET": "ds-backups"}

    with pytest.raises(ConfigError, match="PGBACKREST_REPO1_S3_KEY"):
        load_settings(env, base_dir=tmp_path)


@pytest.mark.parametrize(
    "env",
    [
        {"PGBACKREST_REPO1_CIPHER_TYPE": "rot13"},
        {"PGBACKREST_REPO1_TYPE": "ftp"},
        {"PGBACKREST_REPO1_RETENTION_FULL": "0"},
        {"BACKUP_ARCHIVE_TIMEOUT": "soon"},
    ],
)
def test_settings_pgbackrest_would_reject_are_refused_early(env, tmp_path):
    with pytest.raises(ConfigError):
        load_settings(env, base_dir=tmp_path)


def test_the_primary_archives_every_wal_segment_to_pgbackrest_within_archive_timeout(tmp_path):
    settings = load_settings({"BACKUP_ARCHIVE_TIMEOUT": "30"}, base_dir=tmp_path)

    conf = primary_conf(settings)

    assert "archive_mode = on" in conf
    assert "wal_level = replica" in conf
    assert "archive_timeout = 30" in conf
    assert f"--config={settings.config_path} --stanza=dataschool archive-push %p" in conf
    assert "port = 5440" in conf


def test_a_restored_cluster_has_its_own_port_and_archives_nothing(tmp_path):
    conf = restored_conf(port=5441, socket_dir=tmp_path)

    assert "port = 5441" in conf
    assert "archive_mode = off" in conf


def test_a_recovery_target_is_written_in_utc_as_pgbackrest_reads_it():
    berlin = datetime(2026, 3, 1, 11, 55, 1, 250000, tzinfo=timezone(timedelta(hours=1)))
    assert recovery_target(berlin) == "2026-03-01 10:55:01.250000+00"
    with pytest.raises(ConfigError):
        recovery_target(datetime(2026, 3, 1, 10, 55))  # naive: refused


def test_a_local_repository_gets_one_passphrase_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv("PGBACKREST_REPO1_CIPHER_PASS", raising=False)
    settings = load_settings({}, base_dir=tmp_path)

    first = cipher_env(settings)["PGBACKREST_REPO1_CIPHER_PASS"]
    second = cipher_env(settings)["PGBACKREST_REPO1_CIPHER_PASS"]

    assert len(first) >= 40 and first == second
    stored = settings.state_dir / "repo-cipher-pass"
    assert stored.stat().st_mode & 0o777 == 0o600


def test_the_passphrase_from_the_environment_wins_over_the_local_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PGBACKREST_REPO1_CIPHER_PASS", "from-the-secret-store")

    env = cipher_env(load_settings({}, base_dir=tmp_path))

    assert env["PGBACKREST_REPO1_CIPHER_PASS"] == "from-the-secret-store"
    assert not (tmp_path / "var" / "backup-pg" / "repo-cipher-pass").exists()


def test_an_encrypted_object_storage_repository_needs_the_passphrase_set(tmp_path, monkeypatch):
    monkeypatch.delenv("PGBACKREST_REPO1_CIPHER_PASS", raising=False)
    settings = load_settings(
        {
            "PGBACKREST_REPO1_TYPE": "s3",
            "PGBACKREST_REPO1_S3_BUCKET": "b",
            "PGBACKREST_REPO1_S3_ENDPOINT": "e",
            "PGBACKREST_REPO1_S3_REGION": "r",
            "PGBACKREST_REPO1_S3_KEY": "k",
            "PGBACKREST_REPO1_S3_KEY_SECRET": "s",
        },
        base_dir=tmp_path,
    )

    with pytest.raises(SystemExit, match="PGBACKREST_REPO1_CIPHER_PASS must be set"):
        cipher_env(settings)
