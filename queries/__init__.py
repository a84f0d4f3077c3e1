"""The read side: SQL files run by DuckDB, results cached by data version.

Each query lives in `queries/sql/<name>.sql`, one query per file, named for what it
returns, with bound parameters only. Queries about a selection read from the
`selected_activities` table macro (queries/sql/selected_activities.sql). This package
may use `st.cache_data` and nothing else of streamlit.

Connections are opened read-only for each cache miss and closed at once: DuckDB lets
one process write a file at a time, and the command line must be able to load while
the dashboard runs.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl.db import DatabaseError, connect
from etl.paths import database_path
from etl.schema import load_framework
from queries.selection import Choices, Selection

SQL_DIR = Path(__file__).parent / "sql"
MACROS = ("selected_activities",)


@cache
def sql(name: str) -> str:
    """The text of queries/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def prepare(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Install the read-side macros on a connection."""
    for name in MACROS:
        con.execute(sql(name))
    return con


@cache
def parameters(name: str) -> frozenset[str]:
    """The `$name` parameters a query uses."""
    return frozenset(re.findall(r"\$([A-Za-z_]\w*)", sql(name)))


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run one named query on a prepared connection, binding the parameters it uses."""
    used = parameters(name)
    return con.execute(sql(name), {k: v for k, v in (params or {}).items() if k in used}).df()


def db_path() -> Path:
    return database_path()


def data_version(path: Path | None = None) -> int:
    """A number that grows with every load, rollback or city change (one tiny query).

    Results are cached on it, so a new load shows on the next rerun."""
    con = connect(path or db_path(), read_only=True)
    try:
        return con.execute(sql("data_version")).fetchone()[0]
    except duckdb.CatalogException as exc:
        raise DatabaseError(
            "La base existe mais n'a pas encore été préparée : lancez « python -m etl load FICHIER » ou « python -m etl demo ».",
            'The database exists but has not been prepared yet: run "python -m etl load FILE" or "python -m etl demo".',
        ) from exc
    finally:
        con.close()


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(name: str, params: tuple, version: int, path: str) -> pd.DataFrame:
    con = prepare(connect(Path(path), read_only=True))
    try:
        return run(con, name, {k: list(v) if isinstance(v, tuple) else v for k, v in params})
    finally:
        con.close()


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def fetch(name: str, params: dict | None = None, *, version: int, path: Path | None = None) -> pd.DataFrame:
    """Run a named query, cached per (query, parameters, data version, database)."""
    items = tuple(sorted((k, _hashable(v)) for k, v in (params or {}).items()))
    return _cached(name, items, version, str(path or db_path()))


def framework_params() -> dict:
    """The engagement scale as query parameters: level codes in rank order, co-creation."""
    fw = load_framework()
    return {"levels": [lv.code for lv in fw.levels], "co_creation": list(fw.co_creation)}


def fetch_selection(name: str, selection: Selection, *, version: int, **extra) -> pd.DataFrame:
    """A named query over a selection (its filters, the scale, and `extra` parameters)."""
    return fetch(name, selection.params() | framework_params() | extra, version=version)


def choices(version: int) -> Choices:
    """The values a selection may take, from the data and the schema."""
    row = fetch("choices", version=version).iloc[0]
    return Choices(
        first=_as_date(row["first"]),
        last=_as_date(row["last"]),
        countries=frozenset(row["countries"]),
        cities=frozenset(row["cities"]),
        methods=frozenset(row["methods"]),
        themes=frozenset(row["themes"]),
        formats=frozenset(row["formats"]),
    )


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


__all__ = ["DatabaseError", "choices", "data_version", "fetch", "fetch_selection", "framework_params", "run", "sql"]
