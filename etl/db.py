"""The DuckDB database: connection, migrations and the schema-driven tables.

DuckDB lets one process write a file at a time. Every process here (the CLI, each
dashboard server) opens the file when it needs it and retries for a while when
another process holds it, then says clearly what is going on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import duckdb

from etl import reference
from etl.db_messages import DATABASE_MESSAGES
from etl.paths import CITIES_FILE
from etl.schema import Schema, load_schema

T = TypeVar("T")
CONFLICT_RETRIES = 8  # tries of a write that another transaction keeps changing the same rows of
MIGRATIONS_DIR = Path(__file__).parent / "sql" / "migrations"
RECORD_META_COLUMNS = {
    "record_key": "VARCHAR NOT NULL",
    "row_hash": "UBIGINT NOT NULL",
    "load_id": "BIGINT NOT NULL",
    "source_line": "BIGINT",
    "valid_from": "TIMESTAMP NOT NULL",
    "valid_to": "TIMESTAMP",
    "superseded_by": "BIGINT",
}


class DatabaseError(Exception):
    """A database problem explained to the user, in French and English."""

    def __init__(self, fr: str, en: str):
        super().__init__(f"{fr}\n{en}")
        self.fr, self.en = fr, en

    @classmethod
    def of(cls, code: str, **params) -> DatabaseError:
        """The operational fault `code` of etl/db_messages.py, its message filled with `params`."""
        fr, en = DATABASE_MESSAGES[code]
        return cls(fr.format(**params), en.format(**params))


def _is_lock_error(exc: Exception) -> bool:
    """Another process holds the file, or (inside one process, e.g. the dashboard server)
    a connection is open with the other read-only/read-write configuration: both pass."""
    text = str(exc)
    in_process = "different configuration than existing connections" in text
    return in_process or ("lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text))


def connect(path: Path, *, read_only: bool = False, wait_s: float = 15.0) -> duckdb.DuckDBPyConnection:
    """Open the database file, waiting up to `wait_s` while another process writes it."""
    path = Path(path)
    if read_only and not path.exists():
        raise DatabaseError.of("missing", path=path)
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError.of("no-folder", folder=path.parent, detail=exc.strerror or exc) from exc
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if _is_lock_error(exc) and time.monotonic() < deadline:
                time.sleep(delay)  # back off while the other process finishes its write
                delay = min(delay * 2, 0.5)
                continue
            raise explain(exc, path) from exc
        except duckdb.Error as exc:  # e.g. "Corrupt database file: computed checksum ... does not match"
            raise explain(exc, path) from exc


def retrying_conflicts(
    write: Callable[[], T],
    fr: str,
    en: str,
    *,
    pause: float,
    after_conflict: Callable[[], None] | None = None,
) -> T:
    """`write()`, tried again while another transaction changes the same rows: DuckDB
    answers `TransactionException: Conflict` to the second of two threads updating a row,
    and the write must be retried. `after_conflict` (e.g. a rollback) runs after each
    conflict, then a pause of `pause` times the try's number lets the other transaction
    commit; after CONFLICT_RETRIES tries, DatabaseError(fr, en), worded by the caller."""
    for attempt in range(1, CONFLICT_RETRIES + 1):
        try:
            return write()
        except duckdb.TransactionException:
            if after_conflict is not None:
                after_conflict()
            if attempt == CONFLICT_RETRIES:
                raise DatabaseError(fr, en) from None
            time.sleep(pause * attempt)
    raise AssertionError("unreachable: the last try returns or raises")


READ_ONLY_MARKS = ("Permission denied", "Read-only file system", "read-only mode")
DAMAGED_MARKS = ("not a valid DuckDB database", "Could not read enough bytes", "Corrupt database", "checksum")


def is_database_fault(exc: BaseException) -> bool:
    """A problem of the database file (locked, damaged, not migrated), not a bug of a query:
    the user can act on it, so it is explained rather than shown as a traceback."""
    if isinstance(exc, DatabaseError):
        return True
    if isinstance(exc, (duckdb.IOException, duckdb.CatalogException, duckdb.FatalException)):
        return True
    return type(exc) is duckdb.Error or any(mark in str(exc) for mark in DAMAGED_MARKS)


def explain(exc: BaseException, path: Path | str) -> DatabaseError:
    """What a database failure means for the user, and what to do, in French and English."""
    if isinstance(exc, DatabaseError):
        return exc
    if _is_lock_error(exc):
        return DatabaseError.of("locked", path=path)
    if any(mark in str(exc) for mark in DAMAGED_MARKS):
        return DatabaseError.of("damaged", path=path, detail=exc)
    if isinstance(exc, duckdb.CatalogException):
        return DatabaseError.of("outdated", path=path, detail=exc)
    if any(mark in str(exc) for mark in READ_ONLY_MARKS):
        return DatabaseError.of("read-only", path=path, detail=exc)
    return DatabaseError.of("unreadable", path=path, detail=exc)


@contextmanager
def reading(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the database, closed on leaving the block. A file that
    cannot be opened (missing, locked, damaged) raises DatabaseError, explained."""
    con = connect(path, read_only=True)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def writing(path: Path, *, upgrade: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that may write, closed on leaving the block; the database is first
    brought up to date (`open_database`) unless `upgrade` is false."""
    con = open_database(path) if upgrade else connect(path)
    try:
        yield con
    finally:
        con.close()


def open_database(path: Path, schema: Schema | None = None) -> duckdb.DuckDBPyConnection:
    """Open for writing and bring the database up to date (migrations, tables, view)."""
    con = connect(path)
    try:
        migrate(con, schema or load_schema())
    except duckdb.Error as exc:
        con.close()
        # A damaged file often opens, then fails on its first read. (A missing table here
        # would be a bug of a migration, not an old database: that keeps its traceback.)
        if is_database_fault(exc) and not isinstance(exc, duckdb.CatalogException):
            raise explain(exc, path) from exc
        raise
    except Exception:
        con.close()
        raise
    return con


def migrate(con, schema: Schema) -> list[str]:
    """Apply pending SQL migrations, sync the records table with the schema, seed cities.
    Returns the names of the migrations applied now."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for file in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if file.name in done:
            continue
        applied.append(file.name)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(file.read_text(encoding="utf-8"))
            if file.name in MIGRATION_STEPS:  # the data part, in the same transaction
                MIGRATION_STEPS[file.name](con, schema)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [file.name, datetime.now()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    sync_records_table(con, schema)
    seed_cities(con)
    return applied


def sync_records_table(con, schema: Schema) -> None:
    """Create `records` from the schema, add columns for new fields, recreate the views."""
    existing = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'records'"
        ).fetchall()
    }
    columns = {f.name: f.sql_type for f in schema.fields} | RECORD_META_COLUMNS
    if not existing:
        body = ", ".join(f"{name} {sql_type}" for name, sql_type in columns.items())
        con.execute(f"CREATE TABLE records ({body})")
    else:
        for name, sql_type in columns.items():
            if name not in existing:
                con.execute(f"ALTER TABLE records ADD COLUMN {name} {sql_type.replace(' NOT NULL', '')}")
    fields = ", ".join("c.nom AS ville" if f.name == "ville" else f"r.{f.name}" for f in schema.fields)
    con.execute(
        f"""CREATE OR REPLACE VIEW activities AS
            SELECT {fields}, r.ville AS code_ville, c.pays, r.record_key, r.load_id, r.valid_from AS loaded_at
            FROM records r JOIN cities c ON c.code = r.ville
            WHERE r.valid_to IS NULL"""
    )
    con.execute(
        f"""CREATE OR REPLACE VIEW activity_versions AS
            SELECT {fields}, r.ville AS code_ville, r.record_key, r.load_id, r.source_line,
                   r.valid_from, r.valid_to, r.superseded_by
            FROM records r JOIN cities c ON c.code = r.ville"""
    )


def add_follow_up_fields(con, schema: Schema) -> None:
    """Migration 011, inside its transaction: the records table gets the new fields of the
    contract, and every record's change hash is computed again over all the fields (the
    hash of a row with four more empty cells differs): an unchanged row loaded again after
    the upgrade stays unchanged. The expression is the one of etl/validate.py."""
    sync_records_table(con, schema)
    con.execute(f"UPDATE records SET row_hash = hash({', '.join(schema.names)})")


# Python steps of numbered migrations, run inside the migration's transaction after its SQL.
MIGRATION_STEPS = {
    **{name: (lambda con, schema, step=step: step(con)) for name, step in reference.MIGRATION_STEPS.items()},
    "011_follow_up.sql": add_follow_up_fields,
}


def seed_cities(con, path: Path = CITIES_FILE) -> None:
    """Insert the reference cities that the database does not have yet (etl/reference.py)."""
    reference.seed(con, path)


def data_version(con) -> int:
    """Grows with every load, rollback or city change: the key of read-side caches."""
    return con.execute("SELECT coalesce(max(event_id), 0) FROM data_events").fetchone()[0]
