"""The DuckDB database: connection, migrations and the schema-driven tables.

DuckDB lets one process write a file at a time. Every process here (the CLI, each
dashboard server) opens the file when it needs it and retries for a while when
another process holds it, then says clearly what is going on.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import duckdb

from etl.paths import CITIES_FILE
from etl.schema import Schema, load_schema

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


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


def connect(path: Path, *, read_only: bool = False, wait_s: float = 15.0) -> duckdb.DuckDBPyConnection:
    """Open the database file, waiting up to `wait_s` while another process writes it."""
    path = Path(path)
    if read_only and not path.exists():
        raise DatabaseError(
            f"La base {path} n'existe pas encore. Créez-la avec « python -m etl demo » (données de démonstration) ou « python -m etl load FICHIER ».",
            f'The database {path} does not exist yet. Create it with "python -m etl demo" (demo data) or "python -m etl load FILE".',
        )
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"Impossible de créer le dossier de la base {path.parent} : {exc.strerror or exc}. Choisissez un autre chemin avec --db.",
                f"Cannot create the database folder {path.parent}: {exc.strerror or exc}. Choose another path with --db.",
            ) from exc
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if _is_lock_error(exc) and time.monotonic() < deadline:
                time.sleep(delay)  # back off while the other process finishes its write
                delay = min(delay * 2, 0.5)
                continue
            if _is_lock_error(exc):
                raise DatabaseError(
                    f"La base {path} est utilisée en écriture par un autre programme (un chargement en cours ?). Réessayez dans un instant.",
                    f"The database {path} is being written by another program (a load in progress?). Try again in a moment.",
                ) from exc
            raise DatabaseError(
                f"Impossible d'ouvrir la base {path} : {exc}. Si le fichier est endommagé, restaurez une sauvegarde ou recréez la base.",
                f"Cannot open the database {path}: {exc}. If the file is damaged, restore a backup or rebuild the database.",
            ) from exc


def open_database(path: Path, schema: Schema | None = None) -> duckdb.DuckDBPyConnection:
    """Open for writing and bring the database up to date (migrations, tables, view)."""
    con = connect(path)
    try:
        migrate(con, schema or load_schema())
    except Exception:
        con.close()
        raise
    return con


def migrate(con, schema: Schema) -> None:
    """Apply pending SQL migrations, sync the records table with the schema, seed cities."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    for file in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if file.name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        con.execute(file.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [file.name, datetime.now()])
        con.execute("COMMIT")
    sync_records_table(con, schema)
    seed_cities(con)


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


def seed_cities(con, path: Path = CITIES_FILE) -> None:
    """Insert the reference cities that the database does not have yet (one statement:
    it runs at every opening, so it must cost nothing when there is nothing to add)."""
    con.execute(
        """INSERT INTO cities (code, nom, pays, population, annee_population, source_population,
                               perimetre, latitude, longitude, alias, added_by)
           SELECT code, nom, pays, population, annee_population, source_population, perimetre,
                  latitude, longitude, list_filter(string_split(coalesce(alias, ''), '|'), lambda a: a <> ''), 'reference'
           FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"',
                         columns = {'code': 'VARCHAR', 'nom': 'VARCHAR', 'pays': 'VARCHAR', 'population': 'BIGINT',
                                    'annee_population': 'INTEGER', 'source_population': 'VARCHAR',
                                    'perimetre': 'VARCHAR', 'latitude': 'DOUBLE', 'longitude': 'DOUBLE',
                                    'alias': 'VARCHAR'})
           WHERE code NOT IN (SELECT code FROM cities)""",
        {"path": str(path)},
    )


def data_version(con) -> int:
    """Grows with every load, rollback or city change: the key of read-side caches."""
    return con.execute("SELECT coalesce(max(event_id), 0) FROM data_events").fetchone()[0]
