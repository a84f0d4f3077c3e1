"""What the upload page shows before anything is written: the file as read, its
header mapping, and a corrected copy built from cells fixed in place.

Everything here reads into temporary tables and drops them; nothing is written to
the database's own tables.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import mappings
from etl.load import Upload
from etl.problems import Problem
from etl.readers import RawTable, ReadError, drop_raw, read_table
from etl.schema import Schema, load_schema, normalize_key

STRUCTURE_CODES = {"wrong-field-count", "malformed-row", "accounting-error", "invalid-encoding"}


@dataclass
class Preview:
    """A file as read: its dialect, header mapping and first rows (cells as text)."""

    file_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_line: int = 0
    records: int = 0
    headers: list[str] = field(default_factory=list)
    fields: list[str | None] = field(default_factory=list)  # the field each header maps to
    by_hand: list[bool] = field(default_factory=list)  # mapped through the hand mapping
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    problem: Problem | None = None  # the file cannot be read as a table at all

    @property
    def unknown(self) -> list[str]:
        """Non-blank headers that map to no field (candidates for a hand mapping)."""
        return [h for h, f in zip(self.headers, self.fields, strict=True) if f is None and h.strip()]


def _frame(con, raw: RawTable, where: str = "", params: list | None = None, limit: int | None = None) -> pd.DataFrame:
    """The raw cells as text, one column per header position (c0, c1, ...) after `line`."""
    sql = f"SELECT * FROM {raw.table} {where} ORDER BY line" + (f" LIMIT {int(limit)}" if limit else "")
    return con.execute(sql, params or []).df()


def preview_file(
    con, path: Path, *, header_map: dict[str, str] | None = None, rows: int = 10, schema: Schema | None = None
) -> Preview:
    """Read `path` and describe it: never raises for a bad file (see `Preview.problem`)."""
    schema = schema or load_schema()
    try:
        raw = read_table(con, Path(path), schema)
    except ReadError as exc:
        return Preview(problem=exc.problem)
    try:
        by_hand = mappings.clean(header_map, schema)
        fields, hand = [], []
        for header in raw.headers:
            f = schema.match_header(header)
            hand.append(f is None and normalize_key(header) in by_hand)
            fields.append(f.name if f else by_hand.get(normalize_key(header)))
        return Preview(
            file_format=raw.format,
            encoding=raw.encoding,
            delimiter=raw.delimiter,
            sheet=raw.sheet,
            header_line=raw.header_line,
            records=raw.records,
            headers=raw.headers,
            fields=fields,
            by_hand=hand,
            rows=_frame(con, raw, limit=rows),
        )
    finally:
        drop_raw(con, raw.table)


def as_uploaded(con, path: Path, name: str, schema: Schema | None = None) -> Upload:
    """The file at `path` as the user uploaded it (its bytes) and how it is read: format,
    encoding, separator, sheet, header line. Kept with a corrected copy of it."""
    data = Path(path).read_bytes()
    raw = read_table(con, Path(path), schema or load_schema(), data=data)
    try:
        return Upload(name, data, raw.format, raw.encoding, raw.delimiter, raw.sheet, raw.header_line)
    finally:
        drop_raw(con, raw.table)


def editable(problems: list[Problem]) -> bool:
    """Cells can be fixed in place only when every row was read (no broken structure):
    otherwise a corrected copy would lose the rows that could not be read."""
    return not any(p.code in STRUCTURE_CODES for p in problems if p.is_error)


def rows_at(con, path: Path, lines: list[int], schema: Schema | None = None) -> tuple[list[str], pd.DataFrame]:
    """(headers, the rows starting at `lines`): `line`, then c0, c1, ... as text."""
    raw = read_table(con, Path(path), schema or load_schema())
    try:
        return raw.headers, _frame(con, raw, "WHERE list_contains(?, line)", [sorted(lines)])
    finally:
        drop_raw(con, raw.table)


def corrected_file(con, path: Path, edited: pd.DataFrame, schema: Schema | None = None) -> tuple[bytes, dict[int, int]]:
    """A UTF-8 CSV (`;`) of every row of `path`, with the rows of `edited` (same
    columns as `rows_at`, matched on `line`) replaced, and the map from its lines to
    the original file's lines (so problems can be shown where the user saw them).

    Refuse (ValueError) when `edited` holds lines the file does not have."""
    raw = read_table(con, Path(path), schema or load_schema())
    try:
        rows = _frame(con, raw)
    finally:
        drop_raw(con, raw.table)
    columns = [f"c{i}" for i in range(len(raw.headers))]
    fixes = edited.set_index("line")[columns]
    if not set(fixes.index) <= set(rows["line"]):
        raise ValueError("edited lines not in the file")
    rows = rows.set_index("line")
    rows.loc[fixes.index, columns] = fixes.where(fixes.notna(), None)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")

    def emit(cells: list) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    parts, line_map, line = [emit(raw.headers)], {1: raw.header_line}, 2
    for original, cells in zip(rows.index, rows[columns].itertuples(index=False, name=None), strict=True):
        line_map[line] = int(original)
        parts.append(emit(["" if pd.isna(c) else str(c) for c in cells]))
        line += parts[-1].count("\n")  # a quoted cell may hold line breaks
    return "".join(parts).encode("utf-8"), line_map
