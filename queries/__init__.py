"""The read side: SQL files run by DuckDB, results cached by data version.

Each query lives in `queries/sql/<name>.sql`, one query per file, named for what it
returns, with bound parameters only. This package may use `st.cache_data` and
nothing else of streamlit.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl.db import DatabaseError, connect
from etl.paths import database_path

SQL_DIR = Path(__file__).parent / "sql"


@cache
def sql(name: str) -> str:
    """The text of queries/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run one named query on an open connection."""
    return con.execute(sql(name), params or {}).df()


def db_path() -> Path:
    return database_path()


def data_version(path: Path | None = None) -> int:
    """A number that grows with every load or rollback (cheap: one tiny query).

    Read-side results are cached on it, so a new load shows on the next rerun."""
    con = connect(path or db_path(), read_only=True)
    try:
        return con.execute(sql("data_version")).fetchone()[0]
    finally:
        con.close()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, params: tuple, version: int, path: str) -> pd.DataFrame:
    con = connect(Path(path), read_only=True)
    try:
        return run(con, name, dict(params))
    finally:
        con.close()


def fetch(name: str, params: dict | None = None, *, version: int, path: Path | None = None) -> pd.DataFrame:
    """Run a named query, cached per (query, parameters, data version, database)."""
    return _cached(name, tuple(sorted((params or {}).items())), version, str(path or db_path()))


__all__ = ["DatabaseError", "data_version", "fetch", "run", "sql"]
