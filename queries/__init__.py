"""The read side: SQL files run by DuckDB, results cached by data version.

Each query lives in `queries/sql/<name>.sql`, one query per file, named for what it
returns, with bound parameters only. Queries about a selection read from the
`selected_activities` table macro (queries/sql/selected_activities.sql). This package
may use `st.cache_data` and nothing else of streamlit.

Connections are read-only and short-lived: DuckDB lets one process write a file at a
time, and the command line must be able to load while the dashboard runs. A cache miss
opens one and closes it at once, unless it runs inside `batch()`: then the misses of the
batch share one connection, opened at the first miss and closed when the batch ends. A
run whose results are all cached opens none: the data version is read again only when
the database file has changed (`data_version`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl.db import DatabaseError, connect
from etl.paths import database_path
from etl.schema import load_framework
from queries.cities import ReferenceCity, by_code
from queries.cities import names as city_names
from queries.selection import Choices, Selection

SQL_DIR = Path(__file__).parent / "sql"
MACROS = ("selected_activities", "reference_cities")


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


def _open(path: str) -> duckdb.DuckDBPyConnection:
    """A prepared read-only connection (closed again if preparing it fails)."""
    con = connect(Path(path), read_only=True)
    try:
        return prepare(con)
    except Exception:
        con.close()
        raise


class _Lease:
    """The read-only connections of one batch, one per database file, opened on first use."""

    def __init__(self) -> None:
        self._cons: dict[str, duckdb.DuckDBPyConnection] = {}

    def get(self, path: str) -> duckdb.DuckDBPyConnection:
        if path not in self._cons:
            self._cons[path] = _open(path)
        return self._cons[path]

    def close(self) -> None:
        for con in self._cons.values():
            con.close()
        self._cons.clear()


# The batch of the running code. A context variable, so each Streamlit session's script
# thread sees only its own batch (a DuckDB connection must not be shared across threads).
_batch: ContextVar[_Lease | None] = ContextVar("queries_batch", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Let the cache misses inside share one read-only connection, opened at the first miss
    and closed on leaving (so the command line can write between script runs). Opening
    the file costs about as much as a small query on a large database. Nested batches
    join the outer one."""
    if _batch.get() is not None:
        yield
        return
    lease = _Lease()
    token = _batch.set(lease)
    try:
        yield
    finally:
        _batch.reset(token)
        lease.close()


@contextmanager
def _connection(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The batch's connection, or one of its own closed at once outside a batch."""
    lease = _batch.get()
    if lease is not None:
        yield lease.get(path)
        return
    con = _open(path)
    try:
        yield con
    finally:
        con.close()


# DuckDB's file starts with its headers, whose checkpoint counter changes at every
# checkpoint; until then, committed changes live in the write-ahead log beside it.
HEADER_BYTES = 3 * 4096


def file_signature(path: Path) -> str:
    """A digest that changes whenever DuckDB writes the database: its headers, and the
    identity, size and time of the file and of its write-ahead log."""
    digest = hashlib.blake2b(digest_size=16)
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            facts = file.stat()
        except FileNotFoundError:
            digest.update(b"-")
            continue
        digest.update(repr((facts.st_ino, facts.st_size, facts.st_mtime_ns, facts.st_ctime_ns)).encode())
    try:
        with path.open("rb") as handle:
            digest.update(handle.read(HEADER_BYTES))
    except OSError:
        digest.update(b"?")
    return digest.hexdigest()


def data_version(path: Path | None = None) -> int:
    """A number that grows with every load, rollback or city change.

    Results are cached on it, so a new load shows on the next rerun. Reading it opens the
    database only when the file has changed since it was last read (see file_signature):
    a script run whose results are all cached then opens no connection at all."""
    path = Path(path or db_path())
    return _version_at(file_signature(path), str(path))


@st.cache_data(show_spinner=False, max_entries=64)
def _version_at(signature: str, path: str) -> int:
    try:
        with _connection(path) as con:
            return con.execute(sql("data_version")).fetchone()[0]
    except duckdb.CatalogException as exc:  # no tables yet (the read-side macros need them too)
        raise DatabaseError(
            "La base existe mais n'a pas encore été préparée : lancez « python -m etl load FICHIER » ou « python -m etl demo ».",
            'The database exists but has not been prepared yet: run "python -m etl load FILE" or "python -m etl demo".',
        ) from exc


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(name: str, params: tuple, version: int, path: str) -> pd.DataFrame:
    with _connection(path) as con:
        return run(con, name, {k: list(v) if isinstance(v, tuple) else v for k, v in params})


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


def fetch_selection(name: str, selection: Selection, *, version: int, lang: str, **extra) -> pd.DataFrame:
    """A named query over a selection (its filters, the scale, and `extra` parameters), its
    cities named in `lang` when it names them."""
    params = selection.params() | framework_params() | extra
    if "lang" in parameters(name):
        params["lang"] = lang
    return fetch(name, params, version=version)


@dataclass(frozen=True)
class FrameFacts:
    """What every page's frame needs, from one query (queries/sql/frame_facts.sql)."""

    choices: Choices
    cities: dict[str, ReferenceCity]  # every reference city, by code
    has_demo: bool
    last_load: object
    has_open_data: bool = False  # the real open data of data/open (Pabulib) are loaded

    def city_names(self, lang: str) -> dict[str, str]:
        """Every reference city, code -> name in `lang`, in alphabetical order."""
        return city_names(self.cities, lang)


def frame_facts(version: int, path: Path | None = None) -> FrameFacts:
    """The values a selection may take, the reference cities and the data's status."""
    row = fetch("frame_facts", version=version, path=path).iloc[0]
    columns = ("city_codes", "city_local_names", "city_names_fr", "city_names_en", "city_countries")
    columns += ("city_groups", "city_members")
    cities = by_code(ReferenceCity(*values) for values in zip(*(row[c] for c in columns), strict=True))
    present = frozenset(row["countries"])
    groups = {(c.country, c.group) for c in cities.values() if c.country in present and c.group}
    available = Choices(
        first=_as_date(row["first"]),
        last=_as_date(row["last"]),
        groups=frozenset(group for _, group in groups),
        country_groups=tuple(sorted(groups)),
        countries=present,
        cities=frozenset(row["cities"]),
        methods=frozenset(row["methods"]),
        themes=frozenset(row["themes"]),
        formats=frozenset(row["formats"]),
    )
    return FrameFacts(available, cities, bool(row["has_demo"]), row["last_load"], bool(row["has_open_data"]))


def choices(version: int) -> Choices:
    """The values a selection may take, from the data and the schema."""
    return frame_facts(version).choices


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


__all__ = [
    "DatabaseError",
    "batch",
    "choices",
    "data_version",
    "fetch",
    "fetch_selection",
    "frame_facts",
    "framework_params",
    "run",
    "sql",
]
