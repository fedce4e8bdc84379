"""Backups of uploaded files: a content-addressed copy plus a SHA-256 manifest per snapshot.

    <dest>/objects/ab/abcdef...       one copy of each distinct content, named by its SHA-256
    <dest>/manifests/<UTC time>.json  {"created_at", "roots": {name: {path: {sha256, size}}}}

A file that did not change since the last snapshot costs no space (same hash, same object),
so a snapshot every hour is cheap, and each manifest is a point in time to restore. A restore
copies each object back and checks the copy's SHA-256 against the manifest before it counts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

CHUNK = 1024 * 1024
MANIFEST_TIME_FORMAT = "%Y%m%dT%H%M%S.%fZ"


class BackupError(Exception):
    """A snapshot or a restore could not be trusted; the message says which files."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def scan(root: Path) -> dict[str, FileEntry]:
    """Every regular file under root, by POSIX path relative to root (a missing root is empty)."""
    entries: dict[str, FileEntry] = {}
    if not root.is_dir():
        return entries
    for path in sorted(root.rglob("*")):
        # Symlinks are skipped: a link out of the folder is not an upload to keep.
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(root).as_posix()
            entries[relative] = FileEntry(sha256=sha256_file(path), size=path.stat().st_size)
    return entries


def _object_path(dest: Path, sha256: str) -> Path:
    return dest / "objects" / sha256[:2] / sha256


def _safe_relative(relative: str) -> PurePosixPath:
    """A manifest path that stays inside its root (a tampered manifest cannot write elsewhere)."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Unsafe path in manifest: {relative!r}")
    return path


def _copy_verified(source: Path, target: Path, sha256: str) -> None:
    """Copy through a temporary file and rename only if the copy has the expected hash."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    os.close(fd)
    try:
        shutil.copyfile(source, temporary)
        actual = sha256_file(Path(temporary))
        if actual != sha256:
            raise BackupError(f"{source}: SHA-256 is {actual}, expected {sha256}")
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def take_snapshot(*, roots: dict[str, Path], dest: Path, now: datetime | None = None) -> Path:
    """Copy new contents into the object store and write a manifest; returns its path."""
    now = now or datetime.now(UTC)
    manifest: dict = {"created_at": now.isoformat(), "roots": {}}
    for name, root in roots.items():
        entries = scan(root)
        for relative, entry in entries.items():
            stored = _object_path(dest, entry.sha256)
            if not stored.exists():
                _copy_verified(root / relative, stored, entry.sha256)
        manifest["roots"][name] = {
            relative: {"sha256": entry.sha256, "size": entry.size}
            for relative, entry in entries.items()
        }
    manifests = dest / "manifests"
    manifests.mkdir(parents=True, exist_ok=True)
    path = manifests / f"{now.strftime(MANIFEST_TIME_FORMAT)}.json"
    temporary = path.with_suffix(".partial")
    temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    # Written last and renamed: a manifest that exists names only objects already stored.
    os.replace(temporary, path)
    return path


def load_manifest(path: Path) -> tuple[datetime, dict[str, dict[str, FileEntry]]]:
    data = json.loads(Path(path).read_text())
    roots = {
        name: {rel: FileEntry(**entry) for rel, entry in files.items()}
        for name, files in data["roots"].items()
    }
    return datetime.fromisoformat(data["created_at"]), roots


def list_manifests(dest: Path) -> list[tuple[datetime, Path]]:
    """Every manifest under dest, oldest first."""
    found = []
    for path in (dest / "manifests").glob("*.json"):
        stamp = datetime.strptime(path.stem, MANIFEST_TIME_FORMAT).replace(tzinfo=UTC)
        found.append((stamp, path))
    return sorted(found)


def find_manifest(dest: Path, *, at: datetime | None = None) -> Path:
    """The newest manifest taken at or before `at` (the newest of all when at is None)."""
    candidates = [path for stamp, path in list_manifests(dest) if at is None or stamp <= at]
    if not candidates:
        when = f" at or before {at.isoformat()}" if at else ""
        raise BackupError(f"No file backup manifest{when} in {dest}")
    return candidates[-1]


def compare(expected: dict[str, FileEntry], root: Path) -> list[str]:
    """What differs between a manifest's root and a folder: missing, changed and extra files."""
    actual = scan(root)
    problems = [f"missing: {rel}" for rel in sorted(expected.keys() - actual.keys())]
    problems += [
        f"checksum differs: {rel}"
        for rel in sorted(expected.keys() & actual.keys())
        if expected[rel].sha256 != actual[rel].sha256
    ]
    problems += [f"not in backup: {rel}" for rel in sorted(actual.keys() - expected.keys())]
    return problems


def restore_snapshot(*, manifest: Path, dest: Path, targets: dict[str, Path], prune: bool) -> int:
    """Put each root of the manifest back into its target folder, verifying every SHA-256.

    prune removes files that the manifest does not list (uploaded after the snapshot), so the
    folder matches the point in time exactly. Returns the number of files restored; raises
    BackupError, naming the files, if any copy does not match its checksum.
    """
    _, roots = load_manifest(manifest)
    unknown = targets.keys() - roots.keys()
    if unknown:
        raise BackupError(f"The manifest has no root named {', '.join(sorted(unknown))}")
    restored = 0
    failures: list[str] = []
    for name, target in targets.items():
        entries = roots[name]
        target.mkdir(parents=True, exist_ok=True)
        for relative, entry in entries.items():
            destination = target / _safe_relative(relative)
            try:
                _copy_verified(_object_path(dest, entry.sha256), destination, entry.sha256)
                restored += 1
            except (BackupError, OSError) as exc:
                failures.append(f"{name}/{relative}: {exc}")
        if prune:
            for relative in scan(target).keys() - entries.keys():
                (target / relative).unlink()
        problems = compare(entries, target)
        if not prune:
            problems = [p for p in problems if not p.startswith("not in backup")]
        failures += [f"{name}: {problem}" for problem in problems]
    if failures:
        raise BackupError("File restore failed:\n  " + "\n  ".join(failures))
    return restored
