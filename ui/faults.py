"""A database that cannot be read (locked, damaged, not migrated) is explained on the page,
in the user's language, with what to do: never a traceback.

Only database faults are caught (etl.db.is_database_fault); a bug in a query or a page
still shows its exception, so tests and developers see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import streamlit as st

from etl.db import DatabaseError, explain, is_database_fault, open_database, reading
from etl.paths import database_path


@contextmanager
def database_faults(lang: str) -> Iterator[None]:
    """Run the frame and the page; on a database fault show an error box instead."""
    try:
        yield
    except (DatabaseError, duckdb.Error) as exc:
        if not is_database_fault(exc):
            raise
        problem = explain(exc, database_path())
        st.error(problem.fr if lang == "fr" else problem.en, icon=":material/database:")


@st.cache_resource(show_spinner=False)
def _upgraded(path: str) -> bool:
    """Apply pending migrations to a database of this application (one with a
    `schema_migrations` table); a DuckDB file of another program is left untouched."""
    with reading(Path(path)) as con:
        ours = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'").fetchone()[0]
    if ours:
        open_database(Path(path)).close()  # opening for writing applies the pending migrations
    return True


def upgrade_once() -> None:
    """Bring the database up to date once per server process: a new release's migrations
    are applied at start. A missing, locked or damaged database is left as it is; the
    frame explains it (`database_faults`)."""
    path = database_path()
    if not path.exists():
        return
    try:
        _upgraded(str(path))
    except (DatabaseError, duckdb.Error) as exc:
        if not is_database_fault(exc):
            raise
