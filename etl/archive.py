"""The original files of loads, kept beside the database and named by their sha256.

They live outside DuckDB on purpose: a 200 MB file stored as a BLOB costs seconds to
insert and makes every later checkpoint recompress it. A file is written (atomically,
by rename) before its load commits; a load that does not commit leaves at most an
unreferenced copy, which a later load of the same file reuses.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from etl.access import AccessDenied, Principal, visible_cities


def archive_dir(con) -> Path:
    """`<database>.files/` next to the database file of this connection."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    if not path:
        raise ValueError("an in-memory database has no archive; open a database file")
    return Path(path).with_name(Path(path).name + ".files")


def store(con, digest: str, data: bytes) -> Path:
    """Keep `data` as `<archive>/<sha256>`, once."""
    folder = archive_dir(con)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if not target.exists():
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, target)
    return target


def whole_file_allowed(cities: list[str], principal: Principal | None) -> bool:
    """Whether `principal` may have the file of a load of `cities` as it is: a
    coordinator any file, a city editor only a file every row of which is its cities'
    (a file is more than its rows: other cities' rows, extra columns such as a private
    contact), a viewer none."""
    scope = visible_cities(principal)
    return scope is None or (bool(scope) and set(cities) <= scope)


def _denied(load_id: int) -> AccessDenied:
    return AccessDenied(
        f"Le fichier du chargement n° {load_id} concerne d'autres villes que les vôtres : demandez-le à la coordination.",
        f"The file of load {load_id} concerns other cities than yours: ask the coordinators for it.",
    )


def original(con, load_id: int, *, principal: Principal | None = None, loaded: bool = False) -> tuple[str, bytes]:
    """(file name, content) of the file of a load exactly as it was uploaded, or with
    `loaded` the copy whose rows were loaded (the corrected copy when cells were fixed in
    the browser; the upload itself otherwise). A city editor gets it only when every row
    of the load is its cities' (own_rows gives it a copy of its rows of a mixed load); a
    viewer never (AccessDenied)."""
    row = con.execute(
        """SELECT CASE WHEN $loaded THEN coalesce(corrected_file_name, file_name) ELSE file_name END,
                  CASE WHEN $loaded THEN sha256 ELSE coalesce(original_sha256, sha256) END, cities
           FROM loads WHERE load_id = $id""",
        {"id": load_id, "loaded": loaded},
    ).fetchone()
    if row is None:
        raise KeyError(load_id)
    if not whole_file_allowed(row[2], principal):
        if visible_cities(principal) and set(visible_cities(principal)) & set(row[2]):
            raise AccessDenied(
                f"Le chargement n° {load_id} concerne aussi d'autres villes : seule une copie de vos lignes "
                "peut être téléchargée, pas le fichier d'origine.",
                f"Load {load_id} also concerns other cities: only a copy of your rows can be downloaded, "
                "not the original file.",
            )
        raise _denied(load_id)
    return row[0], (archive_dir(con) / row[1]).read_bytes()


def own_rows(con, load_id: int, *, principal: Principal, lang: str = "fr") -> tuple[str, bytes]:
    """(file name, CSV) of the rows of a load in the principal's cities, as the load wrote
    or kept them, in the contract's columns (nothing else of the file: no other city's row,
    no extra column), neutralised against formulas. For a city editor and a load that
    also concerns other cities; AccessDenied when none of its rows is the principal's."""
    from etl.schema import load_schema
    from etl.writers import frame_bytes

    row = con.execute("SELECT file_name, cities, loaded_at FROM loads WHERE load_id = ?", [load_id]).fetchone()
    if row is None:
        raise KeyError(load_id)
    scope = visible_cities(principal)
    cities = sorted(set(row[1]) if scope is None else set(row[1]) & scope)
    if not cities:
        raise _denied(load_id)
    fields = ", ".join(f"r.{name}" for name in load_schema().names)
    # Rows the load wrote (records.load_id), and rows it held unchanged (load_keys): the
    # version that was current when it ran.
    frame = con.execute(
        f"""SELECT {fields} FROM records r
            WHERE r.load_id = $id AND list_contains($cities, r.ville)
            UNION ALL
            SELECT {fields} FROM load_keys k
            JOIN records r ON r.ville = k.ville AND r.record_key = k.record_key
             AND r.valid_from <= $at AND (r.valid_to IS NULL OR r.valid_to > $at)
            WHERE k.load_id = $id AND list_contains($cities, k.ville) AND r.load_id <> $id
            ORDER BY ALL""",
        {"id": load_id, "cities": cities, "at": row[2]},
    ).df()
    if frame.empty:
        raise _denied(load_id)
    return own_rows_name(row[0], lang), frame_bytes(frame, "csv", lang)


def own_rows_name(file_name: str, lang: str) -> str:
    """The name of the copy of one's rows of the load of `file_name`: "bilan (vos lignes).csv"."""
    return f"{Path(file_name).stem} ({'vos lignes' if lang == 'fr' else 'your rows'}).csv"
