"""Upgrading from the previous schema: a database made by the previous release (commit
c9f3e68, migrations 001 and 002; see tests/fixtures/previous/README.md) opened by
today's code. `python -m etl migrate` applies what is pending and says so, the data stay
as they were, loads go on, and every page loads."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from etl.db import MIGRATIONS_DIR, open_database
from etl.load import load_file
from tests.conftest import FIXTURES, run_app, run_cli
from tests.test_app import PAGES

PREVIOUS = FIXTURES / "previous" / "engagement_c9f3e68.duckdb"
PREVIOUS_MIGRATIONS = {"001_core.sql", "002_load_keys.sql"}


@pytest.fixture
def previous_db(tmp_path):
    """A private copy: migrating changes the file."""
    path = tmp_path / "engagement.duckdb"
    shutil.copy(PREVIOUS, path)
    return path


def old_tables() -> dict[str, list[str]]:
    """Table -> columns, as the previous release made them."""
    con = duckdb.connect(str(PREVIOUS), read_only=True)
    try:
        rows = con.execute(
            "SELECT table_name, list(column_name ORDER BY column_index) FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main' GROUP BY table_name"
        ).fetchall()
        return dict(rows)
    finally:
        con.close()


def rows_lost(new_db, table: str, columns: list[str], *, exact: bool) -> int:
    """Rows of the old table missing from the new one (and, when `exact`, rows added)."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{PREVIOUS}' AS old (READ_ONLY)")
        con.execute(f"ATTACH '{new_db}' AS new (READ_ONLY)")
        cols = ", ".join(f'"{c}"' for c in columns)  # names from DuckDB's own catalogue
        lost = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM old.{table} EXCEPT ALL SELECT {cols} FROM new.{table})"
        ).fetchone()[0]
        if exact:
            lost += con.execute(
                f"SELECT count(*) FROM (SELECT {cols} FROM new.{table} EXCEPT ALL SELECT {cols} FROM old.{table})"
            ).fetchone()[0]
        return lost
    finally:
        con.close()


def test_the_fixture_is_the_previous_schema():
    con = duckdb.connect(str(PREVIOUS), read_only=True)
    try:
        assert {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()} == PREVIOUS_MIGRATIONS
        assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 200
    finally:
        con.close()


def test_migrate_applies_the_pending_migrations_and_keeps_the_data(previous_db):
    pending = sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql") if p.name not in PREVIOUS_MIGRATIONS)
    first = run_cli("migrate", "--db", str(previous_db))
    assert first.returncode == 0, first.stderr
    if pending:
        assert "migrations appliquées" in first.stdout and all(name in first.stdout for name in pending)
    again = run_cli("--lang", "en", "migrate", "--db", str(previous_db))
    assert again.returncode == 0 and "is up to date" in again.stdout and "nothing to apply" in again.stdout

    con = duckdb.connect(str(previous_db), read_only=True)
    try:
        applied = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
        assert applied == {p.name for p in MIGRATIONS_DIR.glob("*.sql")}
        assert con.execute("SELECT count(*), sum(nb_participants) FROM activities").fetchone() == (200, 107999)
    finally:
        con.close()
    for table, columns in old_tables().items():
        # The reference cities may grow with a release and the migrations table does; the
        # rest is exactly what it was, on the columns it had.
        grows = table in ("cities", "schema_migrations")
        assert rows_lost(previous_db, table, columns, exact=not grows) == 0, table


def test_loads_go_on_after_the_upgrade(previous_db):
    con = open_database(previous_db)  # what every write command does: migrate on opening
    try:
        report = load_file(con, FIXTURES / "utf8_bom.csv", user="after-upgrade")
        assert report.status == "loaded" and report.load_id == 19  # the sequence went on from 18 loads
        assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 200 + report.inserted
    finally:
        con.close()


@pytest.mark.parametrize("page", PAGES)
def test_pages_load_after_the_upgrade(monkeypatch, previous_db, page):
    assert run_cli("migrate", "--db", str(previous_db)).returncode == 0
    at = run_app(monkeypatch, previous_db, page=page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title


def test_the_app_applies_the_migrations_at_start(monkeypatch, previous_db):
    """A deployment that forgets `python -m etl migrate` still gets an up-to-date database:
    the dashboard applies pending migrations once at start, then shows its pages."""
    at = run_app(monkeypatch, previous_db)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    con = duckdb.connect(str(previous_db), read_only=True)
    try:
        applied = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    finally:
        con.close()
    assert applied == {p.name for p in MIGRATIONS_DIR.glob("*.sql")}
