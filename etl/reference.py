"""The reference list of cities (data/cities.csv) in the database: seeded at every opening,
and adopted by existing databases through migration 006 (the mission's 112 cities).

No import of etl.db (which calls this module from its migrations).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from etl.paths import CITIES_FILE

# The columns of data/cities.csv with their DuckDB types; `alias` is written "a|b|c" there.
COLUMNS = {
    "code": "VARCHAR",
    "nom": "VARCHAR",
    "nom_fr": "VARCHAR",
    "nom_en": "VARCHAR",
    "pays": "VARCHAR",
    "groupe": "VARCHAR",
    "mission": "BOOLEAN",
    "population": "BIGINT",
    "annee_population": "INTEGER",
    "source_population": "VARCHAR",
    "perimetre": "VARCHAR",
    "perimeter_en": "VARCHAR",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
    "source_coordonnees": "VARCHAR",
    "alias": "VARCHAR",
    "source_adhesion": "VARCHAR",
    "remarque": "VARCHAR",
    "note_en": "VARCHAR",
}
# Every column but the code, as the cities table holds it (alias as a list).
FIELDS = [name for name in COLUMNS if name != "code"]
_TYPES = ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in COLUMNS.items())
_SELECT = ", ".join(
    "list_filter(string_split(coalesce(alias, ''), '|'), lambda a: a <> '') AS alias" if name == "alias" else name
    for name in COLUMNS
)
# The reference list as a table (an explicit dialect and types: never sniffed).
REFERENCE = f"""SELECT {_SELECT}
    FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"', columns = {{{_TYPES}}})"""

# The cities of the previous list that are not mission cities (issue 13): their names in
# French and English, and why they stay when they hold data.
NOT_MEMBERS = {
    "AT-wien": ("Vienne", "Vienna"),
    "CH-zurich": ("Zurich", "Zurich"),
    "EE-tallinn": ("Tallinn", "Tallinn"),
}
OUTSIDE_FR = (
    "Hors mission : cette ville figurait dans la liste de référence précédente mais n'est pas une ville "
    "de la mission. Ses activités restent visibles, hors des médianes, comptes et couche « mission » de la carte."
)
OUTSIDE_EN = (
    "Outside the mission: this city was in the previous reference list but is not a mission city. Its "
    "activities stay visible, outside the mission's medians, counts and map layer."
)


def seed(con, path: Path = CITIES_FILE) -> None:
    """Insert the reference cities that the database does not have yet (one statement:
    it runs at every opening, so it must cost nothing when there is nothing to add)."""
    columns = ", ".join(COLUMNS)
    con.execute(
        f"""INSERT INTO cities ({columns}, added_by)
            SELECT *, 'reference' FROM ({REFERENCE})
            WHERE code NOT IN (SELECT code FROM cities)""",
        {"path": str(path)},
    )


def _has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0])


def adopt_mission_list(con, path: Path = CITIES_FILE) -> None:
    """Migration 006, inside its transaction: the reference cities take the values of the
    mission list (names, populations, perimeters, coordinates, membership), the new members
    are added, and the cities of the previous list that are not members are kept, marked
    outside the mission, only when something refers to them (records, loads, accounts,
    header mappings); the others are removed. A new database (no city yet) is simply seeded
    afterwards, by etl.db.migrate."""
    if not con.execute("SELECT count(*) FROM cities").fetchone()[0]:
        return
    con.execute(f"CREATE TEMP TABLE reference_list AS {REFERENCE}", {"path": str(path)})
    assignments = ", ".join(f"{name} = r.{name}" for name in FIELDS)
    con.execute(f"UPDATE cities SET {assignments} FROM reference_list r WHERE cities.code = r.code")
    seed(con, path)
    # What refers to a city code, in the tables this database has.
    used = ["SELECT unnest(cities) FROM loads", "SELECT unnest(cities) FROM accounts"]
    used += [f"SELECT ville FROM {t}" for t in ("records", "load_keys", "header_mappings") if _has_table(con, t)]
    con.execute(
        f"""DELETE FROM cities
            WHERE added_by = 'reference'
              AND code NOT IN (SELECT code FROM reference_list)
              AND code NOT IN (SELECT c FROM ({" UNION ".join(used)}) AS used(c) WHERE c IS NOT NULL)"""
    )
    con.execute(
        """UPDATE cities SET mission = false,
               groupe = (SELECT any_value(groupe) FROM reference_list r WHERE r.pays = cities.pays),
               remarque = coalesce(remarque, $fr), note_en = coalesce(note_en, $en)
           WHERE code NOT IN (SELECT code FROM reference_list)""",
        {"fr": OUTSIDE_FR, "en": OUTSIDE_EN},
    )
    for code, (fr, en) in NOT_MEMBERS.items():
        con.execute("UPDATE cities SET nom_fr = ?, nom_en = ? WHERE code = ? AND nom_fr IS NULL", [fr, en, code])
    con.execute("DROP TABLE reference_list")
    con.execute("INSERT INTO data_events VALUES (nextval('event_id_seq'), NULL, 'city', ?)", [datetime.now()])


# Python steps of numbered migrations, run inside the migration's transaction after its SQL.
MIGRATION_STEPS = {"006_mission_cities.sql": adopt_mission_list}
