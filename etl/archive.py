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

from etl.accounts import AccessDenied, Principal, visible_cities


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


def original(con, load_id: int, *, principal: Principal | None = None, loaded: bool = False) -> tuple[str, bytes]:
    """(file name, content) of the file of a load exactly as it was uploaded, or with
    `loaded` the copy whose rows were loaded (the corrected copy when cells were fixed in
    the browser; the upload itself otherwise). A city editor gets only the files of loads
    touching its cities, like its history; a viewer none (AccessDenied)."""
    row = con.execute(
        """SELECT CASE WHEN $loaded THEN coalesce(corrected_file_name, file_name) ELSE file_name END,
                  CASE WHEN $loaded THEN sha256 ELSE coalesce(original_sha256, sha256) END, cities
           FROM loads WHERE load_id = $id""",
        {"id": load_id, "loaded": loaded},
    ).fetchone()
    if row is None:
        raise KeyError(load_id)
    scope = visible_cities(principal)
    if scope is not None and not scope & set(row[2]):
        raise AccessDenied(
            f"Le fichier du chargement n° {load_id} concerne d'autres villes que les vôtres : demandez-le à la coordination.",
            f"The file of load {load_id} concerns other cities than yours: ask the coordinators for it.",
        )
    return row[0], (archive_dir(con) / row[1]).read_bytes()
