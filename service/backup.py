"""Backup and restore: the whole database as Parquet, the original files, a manifest.

A backup is a folder:

    manifest.json   what it holds: date, source, migrations, DuckDB version, the row count
                    of every table, the original files (sha256, size)
    database/       DuckDB's `EXPORT DATABASE ... (FORMAT parquet)`: schema.sql, load.sql and
                    one Parquet file per table (sequences keep their current value)
    files/          the archived files of the loads (`<db>.files/<sha256>`): each file as uploaded
                    and, where cells were fixed in the browser, the corrected copy loaded

It is written into `DIR.partial-<pid>` and renamed to DIR at the end, so a folder named
DIR is always a complete backup. The database is read through a read-only connection:
the dashboard keeps serving meanwhile; a load in progress is waited for (15 s).

A restore never writes the target in place. It imports into a temporary file next to it,
checks every table's row count against the manifest and every original file against
its sha256, applies the migrations of this version, then renames the file over the
target. The original files are added to `<db>.files/` first (named by content, so the
old and the new database both find theirs at any moment). A target that holds data is
refused unless `force`; it is then kept as `<db>.replaced-<time>` rather than deleted.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from etl import archive
from etl.db import MIGRATIONS_DIR, DatabaseError, explain, migrate, reading, writing
from etl.paths import ROOT
from etl.schema import load_schema

FORMAT = 1
KIND = "engagement-dashboard-backup"
MANIFEST = "manifest.json"
DIGEST = re.compile(r"[0-9a-f]{64}")
LOCK_WAIT_S = 15.0


@dataclass
class RestoreReport:
    """What a restore did, for the command line to say."""

    target: Path
    manifest: dict
    tables: dict[str, int]
    files_copied: int
    files_present: int
    migrations_applied: list[str]
    replaced: Path | None = None
    notes: list[str] = field(default_factory=list)


# --- backup -----------------------------------------------------------------------------


def _commit() -> str | None:
    """The git commit of the code, when it runs from a checkout (for the manifest only)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def table_counts(con) -> dict[str, int]:
    """Row count of every base table of the main schema (views are derived, not counted)."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
        ).fetchall()
    ]
    # Identifiers come from DuckDB's own catalogue, quoted.
    return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _literal(path: Path) -> str:
    """A path as an SQL string literal: EXPORT and IMPORT DATABASE take no bound parameter."""
    return "'" + str(path).replace("'", "''") + "'"


def _empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def backup(db: Path, target: Path) -> dict:
    """Write a complete backup of `db` (and its original files) into the folder `target`,
    which must not exist or be empty. Returns the manifest."""
    db, target = Path(db), Path(target)
    if not db.exists():
        raise DatabaseError(
            f"Rien à sauvegarder : la base {db} n'existe pas. Vérifiez --db ou ENGAGEMENT_DB.",
            f"Nothing to back up: the database {db} does not exist. Check --db or ENGAGEMENT_DB.",
        )
    if not _empty_dir(target):
        raise DatabaseError(
            f"Le dossier {target} n'est pas vide : choisissez un dossier neuf par sauvegarde (par exemple daté).",
            f"The folder {target} is not empty: use a new folder for each backup (a dated one, for example).",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        manifest = _write_backup(db, partial)
        if target.exists():
            target.rmdir()  # empty (checked above): rename needs it gone
        os.replace(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _write_backup(db: Path, folder: Path) -> dict:
    with reading(db) as con:
        try:
            migrations = [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
            # One read-only connection: the export and the counts see the same committed state.
            con.execute(f"EXPORT DATABASE {_literal(folder / 'database')} (FORMAT parquet)")
            counts = table_counts(con)
            referenced = _referenced_files(con)
        except duckdb.Error as exc:
            raise explain(exc, db) from exc
        files_dir = archive.archive_dir(con)
    files = _copy_originals(files_dir, folder / "files", referenced)
    manifest = {
        "kind": KIND,
        "format": FORMAT,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "source": str(db.resolve()),
        "app": {"commit": _commit(), "migrations": migrations},
        "duckdb": duckdb.__version__,
        "tables": counts,
        "files": files,
    }
    _write_json(folder / MANIFEST, manifest)
    return manifest


def _referenced_files(con) -> set[str]:
    """The sha256 of every file the loads name: the file loaded and, since migration 008,
    the file as uploaded when the rows loaded came from a corrected copy of it."""
    columns = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'loads' AND database_name = current_database()"
        ).fetchall()
    }
    names = [c for c in ("sha256", "original_sha256") if c in columns]  # identifiers from this list only
    query = " UNION ".join(f"SELECT {c} FROM loads WHERE {c} IS NOT NULL" for c in names)
    return {r[0] for r in con.execute(query).fetchall()}


def _copy_originals(source: Path, target: Path, referenced: set[str]) -> dict:
    """Copy the archived files; say which files the loads name but the archive lacks."""
    target.mkdir()
    copied = {}
    if source.is_dir():
        for path in sorted(source.iterdir()):
            if DIGEST.fullmatch(path.name) and path.is_file():  # skips leftovers of interrupted writes
                shutil.copy2(path, target / path.name)
                copied[path.name] = path.stat().st_size
    return {
        "count": len(copied),
        "bytes": sum(copied.values()),
        "sha256": copied,
        "missing": sorted(referenced - set(copied)),
    }


def _write_json(path: Path, data: dict) -> None:
    with path.open("w", encoding="utf-8") as out:
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())


# --- restore ----------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    """The manifest of a backup folder, checked against what this version can restore."""
    path = Path(source) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatabaseError(
            f"{source} n'est pas une sauvegarde : {MANIFEST} est absent. Indiquez le dossier créé par « python -m etl backup ».",
            f'{source} is not a backup: {MANIFEST} is missing. Give the folder made by "python -m etl backup".',
        ) from None
    except (ValueError, OSError) as exc:
        raise DatabaseError(
            f"Le manifeste {path} est illisible ({exc}) : la sauvegarde est endommagée, prenez-en une autre.",
            f"The manifest {path} cannot be read ({exc}): the backup is damaged, use another one.",
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND or manifest.get("format") != FORMAT:
        raise DatabaseError(
            f"{source} n'est pas une sauvegarde de ce tableau de bord (format {FORMAT} attendu).",
            f"{source} is not a backup of this dashboard (format {FORMAT} expected).",
        )
    try:
        complete = isinstance(manifest["tables"], dict) and isinstance(manifest["files"]["sha256"], dict)
        complete &= isinstance(manifest["app"]["migrations"], list) and isinstance(manifest["created_at"], str)
    except (KeyError, TypeError):
        complete = False
    if not complete:
        raise DatabaseError(
            f"Le manifeste {path} est incomplet : la sauvegarde est endommagée, prenez-en une autre.",
            f"The manifest {path} is incomplete: the backup is damaged, use another one.",
        )
    known = {p.name for p in MIGRATIONS_DIR.glob("*.sql")}
    newer = sorted(set(manifest["app"]["migrations"]) - known)
    if newer:
        raise DatabaseError(
            f"Cette sauvegarde vient d'une version plus récente (migrations inconnues : {', '.join(newer)}) : "
            "mettez l'application à jour avant de la restaurer.",
            f"This backup comes from a newer version (unknown migrations: {', '.join(newer)}): "
            "upgrade the application before restoring it.",
        )
    return manifest


def holds_data(db: Path) -> bool:
    """Does the target hold anything a restore would overwrite?"""
    return db.exists() and db.stat().st_size > 0


def restore(source: Path, db: Path, *, force: bool = False) -> RestoreReport:
    """Restore the backup folder `source` as the database `db` (see the module docstring)."""
    source, db = Path(source), Path(db)
    manifest = read_manifest(source)
    if holds_data(db) and not force:
        raise DatabaseError(
            f"La base {db} existe déjà : la restauration ne l'écrase pas sans --force "
            "(elle serait alors gardée à côté, renommée en .replaced-<date>).",
            f"The database {db} already exists: restore does not overwrite it without --force "
            "(it is then kept beside it, renamed .replaced-<time>).",
        )
    db.parent.mkdir(parents=True, exist_ok=True)
    temp = db.with_name(f"{db.name}.restore-{os.getpid()}")
    _remove(temp)
    try:
        tables = _import(source, temp, manifest)
        migrations = _migrate(temp)
        files_dir = db.with_name(db.name + ".files")
        copied, present = _restore_originals(source / "files", files_dir, manifest)
        with _exclusive(db):
            replaced = _swap(temp, db)
    finally:
        _remove(temp)
    return RestoreReport(db, manifest, tables, copied, present, migrations, replaced)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def _import(source: Path, temp: Path, manifest: dict) -> dict[str, int]:
    """IMPORT DATABASE into a new file, then compare every table's count with the manifest."""
    with writing(temp, upgrade=False) as con:
        try:
            con.execute(f"IMPORT DATABASE {_literal(source / 'database')}")
        except duckdb.Error as exc:
            raise DatabaseError(
                f"La sauvegarde {source} ne peut pas être importée ({exc}) : elle est incomplète ou endommagée, "
                "prenez-en une autre. La base actuelle n'a pas été touchée.",
                f"The backup {source} cannot be imported ({exc}): it is incomplete or damaged, use another one. "
                "The current database was not touched.",
            ) from exc
        counts = table_counts(con)
        if counts != manifest["tables"]:
            diff = {
                k: (manifest["tables"].get(k), counts.get(k))
                for k in set(counts) | set(manifest["tables"])
                if manifest["tables"].get(k) != counts.get(k)
            }
            raise DatabaseError(
                f"La sauvegarde ne correspond pas à son manifeste (table : attendu, lu) {diff} : prenez-en une autre. "
                "La base actuelle n'a pas été touchée.",
                f"The backup does not match its manifest (table: expected, read) {diff}: use another one. "
                "The current database was not touched.",
            )
        con.execute("CHECKPOINT")
        return counts


def _migrate(temp: Path) -> list[str]:
    """Bring a backup of an older version up to this one before it goes live."""
    with writing(temp, upgrade=False) as con:
        applied = migrate(con, load_schema())
        con.execute("CHECKPOINT")
        return applied


def _restore_originals(source: Path, files_dir: Path, manifest: dict) -> tuple[int, int]:
    """Add the backup's original files to `<db>.files/`. All are checked against their
    sha256 first: a damaged backup adds nothing."""
    names = list(manifest["files"]["sha256"])
    for name in names:
        if not (source / name).is_file() or _sha256(source / name) != name:
            raise DatabaseError(
                f"Le fichier original {name} de la sauvegarde est absent ou altéré : prenez une autre sauvegarde. "
                "La base actuelle n'a pas été touchée.",
                f"The original file {name} of the backup is missing or altered: use another backup. "
                "The current database was not touched.",
            )
    files_dir.mkdir(parents=True, exist_ok=True)
    copied = present = 0
    for name in names:
        target = files_dir / name
        if target.exists() and _sha256(target) == name:
            present += 1
            continue
        _copy_atomic(source / name, target)
        copied += 1
    return copied, present


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_atomic(source: Path, target: Path) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    shutil.copyfile(source, partial)
    with partial.open("rb+") as out:
        os.fsync(out.fileno())
    os.replace(partial, target)


@contextmanager
def _exclusive(db: Path):
    """Hold the target file so that no process reads or writes it during the swap (DuckDB's
    own locks are fcntl locks on the file: an exclusive lock conflicts with every connection)."""
    if not db.exists():
        yield
        return
    fd = os.open(db, os.O_RDWR)
    try:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise DatabaseError(
                        f"La base {db} est ouverte par un autre programme (un chargement ?) : arrêtez-le, puis relancez la restauration.",
                        f"The database {db} is open in another program (a load?): stop it, then run the restore again.",
                    ) from None
                time.sleep(0.1)  # a dashboard's read-only connection lasts a moment
        yield
    finally:
        os.close(fd)  # releases the lock


def _swap(temp: Path, db: Path) -> Path | None:
    """Put the restored file in place by rename; keep what was there (and its WAL, which
    would otherwise be replayed into the restored file)."""
    replaced = None
    wal = db.with_name(db.name + ".wal")
    if db.exists() or wal.exists():
        replaced = db.with_name(f"{db.name}.replaced-{datetime.now():%Y%m%d-%H%M%S}")
        if db.exists():
            # A second name for the old file, so that the path never goes missing (a process
            # opening it then would create an empty database); the old inode stays locked.
            try:
                os.link(db, replaced)
            except OSError:  # a file system without hard links
                shutil.copy2(db, replaced)
        if wal.exists():
            os.replace(wal, replaced.with_name(replaced.name + ".wal"))
    os.replace(temp, db)
    return replaced
