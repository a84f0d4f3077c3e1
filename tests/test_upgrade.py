"""Upgrading from the previous schema: a database made by the previous release (commit
c9f3e68, migrations 001 and 002; see tests/fixtures/previous/README.md) opened by
today's code. `python -m etl migrate` applies what is pending and says so, the data stay
as they were, loads go on, and every page loads."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

import queries
from etl.db import MIGRATIONS_DIR, open_database
from etl.load import load_file
from queries.metrics import compute, median_of_cities
from queries.selection import Selection
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
        if table == "cities":  # adopted by migration 006: see the next test
            continue
        # The views name each record's city by its reference name, which is now that of the
        # member body (Bordeaux Métropole, Nantes Métropole): the record is the same, under
        # the same city code. The migrations table grows, and so do the data events (one for
        # the change of cities); the rest is exactly what it was.
        kept = [c for c in columns if c != "ville"] if table in ("activities", "activity_versions") else columns
        if table == "records":  # migration 011 computes the change hash over the new fields too
            kept = [c for c in columns if c != "row_hash"]
        grows = table in ("schema_migrations", "data_events")
        assert rows_lost(previous_db, table, kept, exact=not grows) == 0, table


def test_migration_006_adopts_the_mission_list(previous_db):
    """The previous release's 52 cities become the mission's 112: new members added,
    populations and names updated, Wien (20 records) kept outside the mission, Zürich and
    Tallinn (nothing) removed; the medians and counts of the mission leave Wien out."""
    assert run_cli("migrate", "--db", str(previous_db)).returncode == 0
    con = duckdb.connect(str(previous_db), read_only=True)
    try:
        counts = con.execute("SELECT count(*), count(*) FILTER (mission) FROM cities").fetchone()
        assert counts == (113, 112)
        outside = con.execute("SELECT code, nom_fr, nom_en, groupe, remarque FROM cities WHERE NOT mission").fetchall()
        assert [row[:4] for row in outside] == [("AT-wien", "Vienne", "Vienna", "EU")]
        assert outside[0][4].startswith("Hors mission")
        assert con.execute("SELECT count(*) FROM activities WHERE code_ville = 'AT-wien'").fetchone()[0] == 20
        gone = con.execute("SELECT count(*) FROM cities WHERE code IN ('CH-zurich', 'EE-tallinn')").fetchone()[0]
        assert gone == 0
        changed = dict(
            con.execute("SELECT code, population FROM cities WHERE code LIKE 'RO-%' OR code = '69123'").fetchall()
        )
        assert changed == {"RO-bucuresti": 345_370, "69123": 520_774, "RO-cluj-napoca": 316_748, "RO-suceava": 105_796}
        assert con.execute("SELECT nom FROM cities WHERE code = '243300316'").fetchone()[0] == "Bordeaux Métropole"
        assert con.execute("SELECT population FROM cities WHERE code = 'MT-ghawdex'").fetchone()[0] is None
        versions = con.execute("SELECT count(*) FROM data_events WHERE kind = 'city'").fetchone()[0]
        assert versions == 1  # the caches of running dashboards see the change
    finally:
        con.close()
    listing = run_cli("cities", "list", "--db", str(previous_db))
    assert "; 1 hors mission : Vienne." in listing.stdout
    prepared = queries.prepare(duckdb.connect(str(previous_db), read_only=True))
    try:
        everything = Selection(date(2015, 1, 1), date(2100, 1, 1)).params() | queries.framework_params()
        cities = queries.run(prepared, "aggregates_by_city", everything | {"lang": "en"}).set_index("city_code")
    finally:
        prepared.close()
    assert cities.loc["AT-wien", "city"] == "Vienna" and not cities.loc["AT-wien", "member"]
    members = cities[cities["member"]]
    assert median_of_cities(cities)["depth_index"] == pytest.approx(compute(members)["depth_index"].median())


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


# --- today's release (migrations 001 to 008) -> issue 17's migration 011 ------------------

TODAY_DB = FIXTURES / "previous" / "engagement_afbce26.duckdb"
TODAY_LYON_FILE = FIXTURES / "previous" / "engagement_afbce26_69123.csv"
FOLLOW_UP_FIELDS = (
    "nb_propositions_repondues",
    "date_reponse_publique",
    "nb_propositions_mises_en_oeuvre",
    "url_reponse",
)


@pytest.fixture
def today_db(tmp_path):
    path = tmp_path / "today.duckdb"
    shutil.copy(TODAY_DB, path)
    return path


def test_migration_011_adds_the_follow_up_fields_and_keeps_the_records(today_db):
    before = duckdb.connect(str(TODAY_DB), read_only=True)
    try:
        assert "011_follow_up.sql" not in {
            r[0] for r in before.execute("SELECT name FROM schema_migrations").fetchall()
        }
        old = before.execute("SELECT * FROM activities ORDER BY code_ville, record_key").df()
    finally:
        before.close()
    result = run_cli("--lang", "en", "migrate", "--db", str(today_db))
    assert result.returncode == 0, result.stderr
    assert "011_follow_up.sql" in result.stdout
    con = duckdb.connect(str(today_db), read_only=True)
    try:
        new = con.execute("SELECT * FROM activities ORDER BY code_ville, record_key").df()
        assert con.execute("SELECT count(*) FROM city_structure").fetchone()[0] == 0
    finally:
        con.close()
    assert len(new) == len(old) == 200
    assert new[list(FOLLOW_UP_FIELDS)].isna().all().all()  # optional, empty for the old records
    assert new[list(old.columns)].equals(old)  # the rest exactly as it was


def test_an_unchanged_row_stays_unchanged_after_migration_011(today_db, tmp_path):
    """The change hash now covers four more fields: recomputed by the migration, a row
    loaded again unchanged is not a new version; the one row changed is."""
    con = open_database(today_db)
    try:
        rows = TODAY_LYON_FILE.read_text(encoding="utf-8-sig").split("\n")  # Excel's "CSV UTF-8"
        cells = rows[1].split(";")
        cells[11] = str(int(cells[11]) + 1)  # one more participant in the first activity
        rows[1] = ";".join(cells)
        changed = tmp_path / "69123.csv"
        changed.write_text("\n".join(rows), encoding="utf-8-sig")
        report = load_file(con, changed, user="after-upgrade")
        assert report.status == "loaded", [p.message("en") for p in report.problems]
        assert (report.inserted, report.updated) == (0, 1)
        assert report.unchanged == len([r for r in rows[1:] if r]) - 1
    finally:
        con.close()
