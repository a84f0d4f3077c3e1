"""Load validated files into DuckDB: one transaction per file, nothing partial.

Records are upserted on (city, key): a new key is inserted, a changed row closes the
previous version (kept, with `valid_to` and `superseded_by`) and inserts the new one,
an identical row is left alone. Every load is recorded with its original file, so any
load can be rolled back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl import archive, sources
from etl.access import Principal, check_can_upload, check_demo_database, check_may_write, visible_cities
from etl.db import DatabaseError, retrying_conflicts
from etl.problems import ERROR, MESSAGES, Problem, count_codes, more_problems, select
from etl.readers import ReadError, drop_raw, read_table
from etl.schema import Schema, load_schema
from etl.sources import SourceOptions, staging
from etl.validate import Cities, Validation, install_macros, validate

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Upload:
    """A file as the user uploaded it, byte for byte, and how it was read. When cells are
    fixed in the browser, the rows loaded come from a corrected copy: the load keeps this
    original too, and records its format, sheet and header line."""

    name: str
    data: bytes = field(repr=False)
    file_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_line: int | None = None

    @property
    def sha256(self) -> str:
        return sha256_of(self.data)


@dataclass
class FileReport:
    """What happened to one file."""

    file: str
    status: str  # 'loaded' | 'rejected' | 'already-loaded' | 'valid'
    problems: list[Problem] = field(default_factory=list)  # described: all, or the first ones
    counts: dict[str, int] = field(default_factory=dict)  # code -> problems found (all of them)
    rows_read: int = 0
    blank: int = 0
    rejected_rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    load_id: int | None = None
    previous_load: tuple[int, datetime] | None = None
    encoding: str | None = None
    delimiter: str | None = None
    file_format: str | None = None
    sheet: str | None = None
    header_line: int | None = None
    headers: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)  # the cities a load wrote
    original: Upload | None = None  # the uploaded file, when the rows loaded come from a corrected copy
    export_summary: dict[str, str] | None = None  # a platform export: {"fr": ..., "en": ...} (etl/sources)

    @property
    def uploaded(self) -> Upload:
        """The file as uploaded: the original of a corrected copy, else the file itself
        (its facts only: the bytes are the archive's)."""
        if self.original is not None:
            return self.original
        return Upload(self.file, b"", self.file_format, self.encoding, self.delimiter, self.sheet, self.header_line)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def _count(self, error: bool) -> int:
        counts = self.counts or count_codes(self.problems)
        return sum(n for code, n in counts.items() if (MESSAGES[code][0] == ERROR) == error)

    @property
    def error_count(self) -> int:
        """Errors found, described or not."""
        return self._count(True)

    @property
    def warning_count(self) -> int:
        return self._count(False)

    @property
    def more(self) -> Problem | None:
        """The note saying how many problems were counted but not described (None: all are)."""
        return more_problems(self.counts, self.problems, self.file) if self.counts else None


def _noop(stage: str, fraction: float) -> None:
    pass


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_file(
    con,
    path: Path,
    *,
    name: str | None = None,
    data: bytes | None = None,
    allowed_cities: set[str] | None = None,
    header_map: dict[str, str] | None = None,
    schema: Schema | None = None,
    today: date | None = None,
    source: SourceOptions | None = None,
) -> tuple[FileReport, Validation | None]:
    """Read and validate a file; write nothing to the database.

    A platform export (Pabulib, Decidim, CONSUL: etl/sources, detected from the content)
    is turned into contract rows first; `source` says what the export does not (city,
    levels, missing figures), and problems are placed on the export's own lines."""
    schema = schema or load_schema()
    path = Path(path)
    name = name or path.name
    report = FileReport(file=name, status="valid")
    install_macros(con)
    data = path.read_bytes() if data is None else data
    if sources.detect(data):
        return _check_export(con, data, name, report, allowed_cities, schema, today, source)
    try:
        raw = read_table(con, path, schema, data=data)
    except ReadError as exc:
        exc.problem.file = name
        report.status, report.problems = "rejected", [exc.problem]
        report.counts = {exc.problem.code: 1}
        return report, None
    try:
        result = validate(
            con, raw, schema, Cities.from_db(con), allowed_cities=allowed_cities, header_map=header_map, today=today
        )
    except BaseException:
        drop_raw(con, raw.table)
        raise
    lim = raw.limits
    report.problems = select(result.problems, lim.problems_kept, lim.problems_per_code)
    report.counts = count_codes(result.problems, result.more)
    for p in report.problems:
        p.file = name
    report.rows_read = raw.records
    report.blank = raw.blank
    report.rejected_rows = result.rejected_lines
    report.encoding, report.delimiter, report.file_format = raw.encoding, raw.delimiter, raw.format
    report.sheet, report.header_line = raw.sheet, raw.header_line
    report.headers = raw.headers
    if result.errors:
        report.status = "rejected"
    return report, result


def _check_export(
    con, data, name, report, allowed_cities, schema, today, options
) -> tuple[FileReport, Validation | None]:
    """check_file for a platform export: its activities staged, then the usual validation."""
    options = options or SourceOptions()
    report.file_format = sources.detect(data)
    try:
        export = sources.read_export(con, data, name, options)
    except sources.ExportError as exc:
        for p in exc.problems:
            p.file = p.file or name
        report.status, report.problems = "rejected", exc.problems
        return report, None
    report.export_summary = {"fr": export.summary("fr"), "en": export.summary("en")}
    if not export.activities:
        report.status = "rejected"
        report.problems = export.problems + [Problem("export-nothing", file=name, params=export_nothing(export))]
        return report, None
    raw, line_map = staging.stage(con, export, schema)
    try:
        result = validate(con, raw, schema, Cities.from_db(con), allowed_cities=allowed_cities, today=today)
    except BaseException:
        drop_raw(con, raw.table)
        raise
    figures = staging.missing_figure_problems(export, schema, options)
    for p in result.problems:
        p.file = name
    for p in export.problems:
        p.file = p.file or name
    result.problems = export.problems + staging.remap(figures + result.problems, export, line_map, raw.header_line)
    report.problems = select(result.problems, raw.limits.problems_kept, raw.limits.problems_per_code)
    report.counts = count_codes(result.problems, result.more)
    report.rows_read = len(export.activities)
    report.rejected_rows = len({p.line for p in result.errors if p.line})
    report.encoding, report.headers = "utf-8", raw.headers
    if result.errors:
        report.status = "rejected"
    return report, result


def export_nothing(export) -> dict:
    from etl.sources.words import nothing_detail

    return nothing_detail(export)


def previous_load(con, digest: str) -> tuple[int, datetime] | None:
    """(load id, when) of the active load of the file with this sha256, if any."""
    return con.execute(
        "SELECT load_id, loaded_at FROM loads WHERE sha256 = ? AND status = 'loaded' ORDER BY load_id LIMIT 1",
        [digest],
    ).fetchone()


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    name: str | None = None,
    user: str | None = None,
    allowed_cities: set[str] | None = None,
    header_map: dict[str, str] | None = None,
    is_demo: bool = False,
    progress: Progress = _noop,
    schema: Schema | None = None,
    today: date | None = None,
    principal: Principal | None = None,
    original: Upload | None = None,
    source: SourceOptions | None = None,
) -> FileReport:
    """Validate a file and, when it has no error, load it in one transaction.

    `allowed_cities` (city codes) restricts what this caller may write: a file with
    rows for any other city is rejected whole. `header_map` names the fields of headers
    the schema does not know (etl/mappings.py). `con` must be a connection (or cursor)
    of a database prepared by `open_database`.

    `principal` (None: the command-line operator) must be allowed to upload, and its
    rows limited to its writable cities (AccessDenied, or `forbidden-city` problems);
    a demo principal's load is a demo load, refused on a database with real loads.

    `original` is the file as the user uploaded it when `path` is a corrected copy of it
    (cells fixed on the upload page): both are archived, and the load records the
    original's name, format, sheet and header line."""
    if principal is not None:
        check_can_upload(principal)
        check_demo_database(con, principal)
        is_demo = is_demo or principal.demo
        user = user or principal.login
        allowed_cities = narrow_cities(allowed_cities, principal.writable_cities)
    schema = schema or load_schema()
    path = Path(path)
    data = path.read_bytes()
    digest = sha256_of(data)
    name = name or path.name
    previous = previous_load(con, digest)
    # A restricted caller learns of an earlier load only once its rows passed the city
    # check (the write transaction checks again), not the date of another city's load.
    if previous and allowed_cities is None:
        return FileReport(file=name, status="already-loaded", previous_load=previous)
    progress("read", 0.0)
    report, result = check_file(
        con,
        path,
        name=name,
        data=data,
        allowed_cities=allowed_cities,
        header_map=header_map,
        schema=schema,
        today=today,
        source=source,
    )
    progress("validate", 0.4)
    try:
        if report.status == "rejected":
            return report
        progress("write", 0.6)
        report.original = original
        return retrying_conflicts(
            lambda: _write(con, result, report, data, digest, user, is_demo, schema),
            "Un autre chargement modifie les mêmes activités : réessayez.",
            "Another load is changing the same activities: try again.",
            pause=0.05,
            after_conflict=lambda: _rollback_quietly(con),
        )
    finally:
        progress("done", 1.0)
        if result is not None:
            drop_raw(con, result.raw.table)


def narrow_cities(allowed: set[str] | None, writable: frozenset[str] | None) -> set[str] | None:
    """The cities a caller may write: `allowed` limited to `writable` (None: no limit)."""
    if writable is None:
        return allowed
    return set(writable) if allowed is None else set(allowed) & writable


def _rollback_quietly(con) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:  # no transaction was open
        pass


def _write(
    con, result: Validation, report: FileReport, data: bytes, digest: str, user, is_demo, schema: Schema
) -> FileReport:
    """The transaction; any failure other than a write conflict rolls it back and raises."""
    try:
        return _write_transaction(con, result, report, data, digest, user, is_demo, schema)
    except duckdb.TransactionException:
        raise
    except BaseException:
        _rollback_quietly(con)
        raise


def _write_transaction(
    con, result: Validation, report: FileReport, data: bytes, digest: str, user, is_demo, schema: Schema
) -> FileReport:
    stage = result.stage
    fields = ", ".join(schema.names)
    archive.store(con, digest, data)  # before the commit: a committed load always has its files
    uploaded = report.uploaded
    if report.original is not None:
        archive.store(con, report.original.sha256, report.original.data)
    con.execute("BEGIN TRANSACTION")
    previous = previous_load(con, digest)
    if previous:  # the same file landed meanwhile from another session
        con.execute("ROLLBACK")
        report.status, report.previous_load = "already-loaded", previous
        return report
    load_id = con.execute("SELECT nextval('load_id_seq')").fetchone()[0]
    now = datetime.now()
    cities = [r[0] for r in con.execute(f"SELECT DISTINCT ville FROM {stage} ORDER BY 1").fetchall()]
    current = con.execute(
        "SELECT count(*) FROM records WHERE valid_to IS NULL AND list_contains($cities, ville)", {"cities": cities}
    ).fetchone()[0]
    selected = ", ".join(f"s.{n}" for n in schema.names)
    insert = f"""INSERT INTO records ({fields}, record_key, row_hash, load_id, source_line, valid_from)
                 SELECT {selected}, s.record_key, s.row_hash, $load_id, s.line, $now FROM {stage} s"""
    if current == 0:  # nothing to compare with (a city's first load): insert everything
        con.execute(insert, {"now": now, "load_id": load_id})
        inserted, updated, unchanged = con.execute(f"SELECT count(*) FROM {stage}").fetchone()[0], 0, 0
    else:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {stage}_cmp AS
                SELECT s.line, s.ville, s.record_key, s.row_hash, r.row_hash AS old_hash FROM {stage} s
                LEFT JOIN records r ON r.ville = s.ville AND r.record_key = s.record_key AND r.valid_to IS NULL"""
        )
        inserted, updated, unchanged = con.execute(
            f"""SELECT count(*) FILTER (old_hash IS NULL), count(*) FILTER (old_hash <> row_hash),
                       count(*) FILTER (old_hash = row_hash) FROM {stage}_cmp"""
        ).fetchone()
        if unchanged:
            con.execute(
                f"INSERT INTO load_keys SELECT $load_id, ville, record_key FROM {stage}_cmp WHERE old_hash = row_hash",
                {"load_id": load_id},
            )
        if updated:
            con.execute(
                f"""UPDATE records SET valid_to = $now, superseded_by = $load_id FROM {stage}_cmp c
                    WHERE records.ville = c.ville AND records.record_key = c.record_key
                      AND records.valid_to IS NULL AND c.old_hash <> c.row_hash""",
                {"now": now, "load_id": load_id},
            )
        con.execute(
            insert + f" JOIN {stage}_cmp c USING (line) WHERE c.old_hash IS NULL OR c.old_hash <> c.row_hash",
            {"now": now, "load_id": load_id},
        )
    con.execute(
        """INSERT INTO loads (load_id, file_name, sha256, size_bytes, file_format, encoding, rows_read,
                              inserted, updated, unchanged, cities, user_name, loaded_at, status, is_demo,
                              original_sha256, original_size_bytes, corrected_file_name, delimiter, sheet,
                              header_line)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?, ?, ?)""",
        [
            load_id,
            uploaded.name,
            digest,
            len(data),
            uploaded.file_format,
            uploaded.encoding,
            report.rows_read,
            inserted,
            updated,
            unchanged,
            cities,
            user,
            now,
            is_demo,
            uploaded.sha256 if report.original is not None else digest,
            len(report.original.data) if report.original is not None else len(data),
            report.file if report.original is not None else None,
            uploaded.delimiter,
            uploaded.sheet,
            uploaded.header_line,
        ],
    )
    con.execute("INSERT INTO data_events VALUES (nextval('event_id_seq'), ?, 'load', ?)", [load_id, now])
    con.execute("COMMIT")
    report.status, report.load_id = "loaded", load_id
    report.inserted, report.updated, report.unchanged = inserted, updated, unchanged
    report.cities = cities
    return report


# --- history and rollback ---------------------------------------------------------


def history(con, *, cities: set[str] | None = None, principal: Principal | None = None) -> list[dict]:
    """Every load, newest first; limited to loads touching `cities` when given, and to
    those touching the principal's cities for a city editor (viewers: AccessDenied)."""
    scope = visible_cities(principal)
    if scope is not None:
        cities = set(scope) if cities is None else set(cities) & scope
    rows = con.execute(
        """SELECT load_id, file_name, user_name, loaded_at, status, rows_read, inserted, updated,
                  unchanged, cities, size_bytes, sha256, is_demo, rolled_back_at, rolled_back_by,
                  file_format, encoding, delimiter, sheet, header_line, original_sha256,
                  original_size_bytes, corrected_file_name
           FROM loads
           WHERE $cities IS NULL OR len(list_intersect(cities, $cities)) > 0
           ORDER BY load_id DESC""",
        {"cities": sorted(cities) if cities is not None else None},
    )
    names = [d[0] for d in rows.description]
    return [dict(zip(names, r, strict=True)) for r in rows.fetchall()]


@dataclass
class RollbackPlan:
    load_id: int
    removes: int  # record versions written by the load, removed
    restores: int  # earlier versions it had replaced, made current again
    blocked_by: list[int]  # later loads that changed the same records: roll them back first
    kept: int = 0  # its records that later loads contain unchanged: they stay, as theirs
    kept_by: list[int] = field(default_factory=list)  # those later loads

    @property
    def possible(self) -> bool:
        return not self.blocked_by


# The records of a load that later, active loads contain unchanged (load_keys), each with
# the first such load: undoing the load keeps them, as that load's own records. Undoing
# a load means the state as if it had never happened, and then that later load would
# have inserted them.
_KEPT = """
    SELECT r.ville, r.record_key, min(k.load_id) AS owner
    FROM records r
    JOIN load_keys k ON k.ville = r.ville AND k.record_key = r.record_key AND k.load_id > $id
    JOIN loads l ON l.load_id = k.load_id AND l.status = 'loaded'
    WHERE r.load_id = $id AND r.valid_to IS NULL
    GROUP BY ALL
"""


def plan_rollback(con, load_id: int, *, principal: Principal | None = None) -> RollbackPlan:
    """What rolling back `load_id` would change, and whether a later load prevents it
    (it changed the same records since); raises DatabaseError when the load does not
    exist or is already rolled back, AccessDenied when `principal` may not write every
    city of the load. A later load that contains the same records unchanged does not
    prevent it: those records stay, as that load's."""
    row = con.execute("SELECT status, cities FROM loads WHERE load_id = ?", [load_id]).fetchone()
    if row is None:
        raise DatabaseError(f"Aucun chargement n° {load_id}.", f"No load number {load_id}.")
    check_may_write(
        principal, row[1], action_fr=f"annuler le chargement n° {load_id}", action_en=f"roll back load {load_id}"
    )
    check_demo_database(con, principal)
    if row[0] != "loaded":
        raise DatabaseError(f"Le chargement n° {load_id} est déjà annulé.", f"Load {load_id} is already rolled back.")
    params = {"id": load_id}
    (written,) = con.execute("SELECT count(*) FROM records WHERE load_id = $id", params).fetchone()
    kept, kept_by = con.execute(
        f"SELECT count(*), list(DISTINCT owner ORDER BY owner) FROM ({_KEPT})", params
    ).fetchone()
    (restores,) = con.execute(
        f"""SELECT count(*) FROM records r WHERE r.superseded_by = $id
            AND NOT EXISTS (SELECT 1 FROM ({_KEPT}) k WHERE k.ville = r.ville AND k.record_key = r.record_key)""",
        params,
    ).fetchone()
    # Later loads that changed this load's records: undoing it would have to undo them.
    blocked = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT superseded_by FROM records WHERE load_id = $id AND superseded_by IS NOT NULL ORDER BY 1",
            params,
        ).fetchall()
    ]
    return RollbackPlan(load_id, written - kept, restores, blocked, kept, list(kept_by or []))


def rollback(con, load_id: int, *, user: str | None = None, principal: Principal | None = None) -> RollbackPlan:
    """Restore the state before `load_id`, in one transaction."""
    plan = plan_rollback(con, load_id, principal=principal)
    user = user or (principal.login if principal else None)
    if plan.blocked_by:
        later = ", ".join(map(str, plan.blocked_by))
        raise DatabaseError(
            f"Des chargements ultérieurs ({later}) ont modifié les mêmes activités : annulez-les d'abord.",
            f"Later loads ({later}) changed the same activities: roll them back first.",
        )
    now = datetime.now()
    params = {"id": load_id}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE rollback_kept AS {_KEPT}", params)
        # Records a later load contains unchanged become that load's own records, and the
        # versions they had replaced stay replaced, by that load.
        con.execute(
            """UPDATE records SET load_id = k.owner FROM rollback_kept k
               WHERE records.load_id = $id AND records.ville = k.ville AND records.record_key = k.record_key
                 AND records.valid_to IS NULL""",
            params,
        )
        con.execute(
            """UPDATE records SET superseded_by = k.owner FROM rollback_kept k
               WHERE records.superseded_by = $id AND records.ville = k.ville AND records.record_key = k.record_key""",
            params,
        )
        con.execute(
            """DELETE FROM load_keys USING rollback_kept k
               WHERE load_keys.load_id = k.owner AND load_keys.ville = k.ville AND load_keys.record_key = k.record_key"""
        )
        con.execute("DROP TABLE rollback_kept")
        con.execute("DELETE FROM records WHERE load_id = $id", params)
        con.execute("DELETE FROM load_keys WHERE load_id = $id", params)
        con.execute("UPDATE records SET valid_to = NULL, superseded_by = NULL WHERE superseded_by = $id", params)
        con.execute(
            "UPDATE loads SET status = 'rolled_back', rolled_back_at = ?, rolled_back_by = ? WHERE load_id = ?",
            [now, user, load_id],
        )
        con.execute("INSERT INTO data_events VALUES (nextval('event_id_seq'), ?, 'rollback', ?)", [load_id, now])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return plan


__all__ = ["FileReport", "Upload", "check_file", "load_file", "history", "plan_rollback", "rollback"]
