"""Read what cities really produce into a DuckDB staging table of text cells.

Reading is lenient (BOMs, cp1252, UTF-16, `;` `,` tab `|`, comment lines before the
header, real Excel dates) and exact about lines: every data line of the file ends up
as a staged row, a reported problem, or a counted blank line, each with the line
number a text editor shows (for XLSX, the sheet's row number).

CSV is parsed by DuckDB with an explicit dialect (never its sniffer, which can skip
rows silently: duckdb/duckdb#25827). When the line count does not balance (records
spanning several lines), the file is parsed again by Python's csv module, which
tracks lines exactly.

Every reading is bounded (etl/settings.py, `Limits`): line length, lines, columns,
cell length, sheets, and the size of an XLSX's parts are checked before the costly
part of reading, and a file past a limit is refused with a message naming the limit
and the fix. Blank lines are counted and kept as a few ranges; structure problems are
counted by code and described for the first ones only.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import duckdb

from etl.problems import Problem, number
from etl.schema import Schema
from etl.settings import Limits, limits
from etl.xlsx_parts import PartError, Parts

DELIMITERS = (";", ",", "\t", "|")
HEADER_SEARCH_LINES = 30
SNIFF_BYTES = 256 * 1024
MAX_LINE = 10_000_000  # bytes; DuckDB's max_line_size and the csv module's field limit
csv.field_size_limit(MAX_LINE)
DELIMITER_NAMES = {";": "« ; »", ",": "« , »", "\t": "tabulation / tab", "|": "« | »"}


@dataclass
class RawTable:
    """A file read into DuckDB: `line BIGINT` then one VARCHAR column per header cell."""

    table: str
    headers: list[str]
    header_line: int = 0
    rows: int = 0
    rejected: int = 0
    blank: int = 0
    format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    parser: str | None = None
    problems: list[Problem] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)  # problems counted, not described
    blank_ranges: list[list[int]] = field(default_factory=list)  # [first, last] blank lines, the first ones
    blank_cut: bool = False  # more blank ranges than kept
    invalid_unicode: bool = False
    limits: Limits = field(default_factory=limits, repr=False)
    _kept: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def columns(self) -> list[str]:
        return [f"c{i}" for i in range(len(self.headers))]

    @property
    def records(self) -> int:
        """Data records found after the header: staged, rejected or blank."""
        return self.rows + self.rejected + self.blank

    def note(self, problem: Problem) -> None:
        """Report a problem: described while its code has room in a report, else counted."""
        if self._kept.get(problem.code, 0) < self.limits.problems_kept:
            self._kept[problem.code] = self._kept.get(problem.code, 0) + 1
            self.problems.append(problem)
        else:
            self.more[problem.code] = self.more.get(problem.code, 0) + 1

    def add_blank(self, line: int) -> None:
        """Count a blank line (lines come in order): kept as ranges, the first ones only."""
        self.blank += 1
        if self.blank_ranges and self.blank_ranges[-1][1] == line - 1:
            self.blank_ranges[-1][1] = line
        elif len(self.blank_ranges) < RANGES_KEPT:
            self.blank_ranges.append([line, line])
        else:
            self.blank_cut = True


class ReadError(Exception):
    """The file cannot be read as a table at all; carries the problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


RANGES_KEPT = 1000  # blank-line ranges kept: the message shows the first twelve


def merge_ranges(*lists: list[list[int]]) -> list[list[int]]:
    """Sorted, disjoint [first, last] ranges from several lists of ranges."""
    out: list[list[int]] = []
    for first, last in sorted(r for ranges in lists for r in ranges):
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return out


def format_ranges(ranges: list[list[int]], cut: bool = False, limit: int = 12) -> str:
    """[[3, 3], [5, 7], [12, 12]] -> "3, 5–7, 12" (the first `limit` ranges)."""
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in ranges[:limit]]
    return ", ".join(parts) + (" …" if cut or len(ranges) > limit else "")


def format_lines(lines: list[int], limit: int = 12) -> str:
    """Compress sorted line numbers: [3, 5, 6, 7, 12] -> "3, 5–7, 12"."""
    ranges: list[list[int]] = []
    for n in sorted(set(lines)):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in ranges[:limit]]
    return ", ".join(parts) + (" …" if len(ranges) > limit else "")


# --- bytes to text ---------------------------------------------------------------

MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x1f\x8b": "gzip",
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7z",
}


def _looks_utf16(head: bytes) -> str | None:
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(head) >= 4 and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


CHUNK = 8 * 1024 * 1024
LONE_CR = re.compile(rb"\r(?!\n)")


def _is_utf8(data: bytes, final: bool = True) -> bool:
    """Strict UTF-8 check in chunks, without building the whole text (`final=False`:
    `data` is a head, which may end inside a character)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), CHUNK):
            decoder.decode(view[start : start + CHUNK])
        decoder.decode(b"", final=final)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file: BOMs, UTF-16, then strict UTF-8, then cp1252.

    Raises ReadError for binary content."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig" if _is_utf8(data[3:]) else "cp1252"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _looks_utf16(data[:4096])
    if utf16:
        return utf16
    for magic, name in MAGIC.items():
        if data.startswith(magic):
            raise ReadError(Problem("binary-file", params={"detail": name}))
    if b"\x00" in data[:8192]:
        raise ReadError(Problem("binary-file", params={"detail": "octets nuls / NUL bytes"}))
    if _is_utf8(data[:SNIFF_BYTES], final=len(data) <= SNIFF_BYTES):
        encoding = "utf-8"  # confirmed in full by read_csv if DuckDB meets invalid bytes
    else:
        encoding = "cp1252"  # the five bytes cp1252 leaves undefined become U+FFFD
    sample = data[:8192].decode(encoding, errors="ignore")
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n")
    if sample and controls > 0.01 * len(sample):
        raise ReadError(Problem("binary-file", params={"detail": "caractères de contrôle / control characters"}))
    return encoding


def to_utf8(data: bytes, encoding: str) -> bytes:
    """Transcode to UTF-8 in chunks (DuckDB reads only UTF-8)."""
    if data.startswith(codecs.BOM_UTF8):  # a BOM on a body that is not UTF-8 after all
        data = data[len(codecs.BOM_UTF8) :]
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    view = memoryview(data)
    parts = [decoder.decode(view[i : i + CHUNK]).encode("utf-8") for i in range(0, len(data), CHUNK)]
    parts.append(decoder.decode(b"", final=True).encode("utf-8"))
    utf8 = b"".join(parts)
    return utf8[3:] if utf8.startswith(codecs.BOM_UTF8) else utf8


# --- header and dialect ----------------------------------------------------------


def _matched_fields(cells: list[str], schema: Schema) -> int:
    return len({f.name for c in cells if (f := schema.match_header(c))})


def find_header(lines: list[str], schema: Schema) -> tuple[int, str, list[str]]:
    """(0-based index of the header line, delimiter, header cells) among the first lines.

    The header is the line whose cells name the most schema fields, for the delimiter
    that makes them match; raises ReadError when no line names at least two fields."""
    best: tuple[int, int, int] | None = None  # (matched, -index, -delimiter rank)
    found: tuple[int, str, list[str]] | None = None
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        for rank, delim in enumerate(DELIMITERS):
            if delim not in line:
                continue
            try:
                cells = next(csv.reader([line], delimiter=delim))
            except csv.Error:  # an unclosed quote on this line: not the header
                continue
            score = (_matched_fields(cells, schema), -index, -rank)
            if best is None or score > best:
                best, found = score, (index, delim, cells)
    if found is None or best[0] < 2:
        example = ";".join(f.name for f in schema.fields if f.required)
        raise ReadError(Problem("no-header", line=1, params={"lines": HEADER_SEARCH_LINES, "example": example}))
    return found


# --- CSV -------------------------------------------------------------------------


@dataclass
class LineFacts:
    """Where a text's line ends are, read in chunks without splitting the text."""

    ends: object  # numpy array: offsets of every "\n"
    size: int

    @classmethod
    def of(cls, data: bytes) -> LineFacts:
        import numpy as np

        view = np.frombuffer(data, dtype=np.uint8)
        parts = [np.flatnonzero(view[i : i + CHUNK] == 10) + i for i in range(0, len(data), CHUNK)]
        return cls(np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64), len(data))

    @property
    def lines(self) -> int:
        if not self.size:
            return 0
        return len(self.ends) + (0 if len(self.ends) and self.ends[-1] == self.size - 1 else 1)

    @cached_property
    def longest(self) -> tuple[int, int]:
        """(length in bytes, 1-based number) of the longest line."""
        import numpy as np

        starts = np.concatenate(([0], self.ends + 1))
        stops = np.concatenate((self.ends, [self.size]))
        lengths = stops - starts
        at = int(np.argmax(lengths))
        return int(lengths[at]), at + 1

    def empty_lines(self, data: bytes, after: int):
        """1-based numbers (numpy) of the empty lines ("" or "\\r", ended by "\\n") after line `after`."""
        import numpy as np

        ends = self.ends
        if len(ends) < 2:
            return np.zeros(0, dtype=np.int64)
        lengths = ends[1:] - ends[:-1] - 1  # line k + 2 (1-based) runs between ends k and k + 1
        view = np.frombuffer(data, dtype=np.uint8)
        empty = (lengths == 0) | ((lengths == 1) & (view[ends[1:] - 1] == 13))
        numbers = np.flatnonzero(empty) + 2
        return numbers[numbers > after]


def _ranges_of(numbers) -> list[list[int]]:
    """Sorted line numbers (numpy) -> their first RANGES_KEPT [first, last] ranges."""
    import numpy as np

    if not len(numbers):
        return []
    breaks = np.flatnonzero(np.diff(numbers) != 1)
    firsts = np.concatenate(([0], breaks + 1))[: RANGES_KEPT + 1]
    lasts = np.concatenate((breaks, [len(numbers) - 1]))[: RANGES_KEPT + 1]
    return [[int(numbers[a]), int(numbers[b])] for a, b in zip(firsts, lasts, strict=True)]


def _physical_lines(data: bytes) -> int:
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _read_csv_duckdb(con, path: Path, raw: RawTable, data: bytes, facts: LineFacts) -> bool:
    """Parse with DuckDB; True when the line accounting balances (one record per line).

    The rejected lines stay in DuckDB: only their counts and the first ones' details
    come to Python, whatever their number."""
    rejects, scan = f"{raw.table}_rej", f"{raw.table}_rejscan"
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in raw.columns) + "}"
    # Identifiers above are generated (c0, c1, ...); every value is a bound parameter.
    con.execute(
        f"""CREATE TEMP TABLE {raw.table}_parsed AS SELECT * FROM read_csv(
              $path, delim = $delim, quote = '"', escape = '"', header = false,
              skip = $skip, columns = {columns}, auto_detect = false, strict_mode = true,
              null_padding = false, store_rejects = true, rejects_table = '{rejects}',
              rejects_scan = '{scan}', max_line_size = $max_line)""",
        {"path": str(path), "delim": raw.delimiter, "skip": raw.header_line, "max_line": MAX_LINE},
    )
    parsed = con.execute(f"SELECT count(*) FROM {raw.table}_parsed").fetchall()[0][0]
    bad = f"{raw.table}_bad"
    # A rejected line of white space only is blank (DuckDB prefixes preceding blank lines).
    con.execute(
        f"""CREATE TEMP TABLE {bad} AS SELECT line, error_type, csv_line,
              NOT regexp_matches(csv_line, '[^\\s\\v\\x{{1c}}-\\x{{1f}}\\x{{85}}\\p{{Z}}]') AS blank
            FROM (SELECT line, any_value(error_type) AS error_type, coalesce(any_value(csv_line), '') AS csv_line
                  FROM {rejects} GROUP BY line)"""
    )
    rejected, blank_rejected = con.execute(f"SELECT count(*), count(*) FILTER (blank) FROM {bad}").fetchone()
    empty = facts.empty_lines(data, raw.header_line)
    total = facts.lines - raw.header_line
    if parsed + rejected + len(empty) != total:
        drop_raw(con, raw.table)
        return False
    empty_table = f"{raw.table}_empty"
    _lines_table(con, empty_table, empty)
    if con.execute(f"SELECT count(*) FROM {bad} JOIN {empty_table} USING (line)").fetchone()[0]:
        drop_raw(con, raw.table)
        return False  # lines do not map one to one: let the exact parser do it
    raw.rows, raw.parser = parsed, "duckdb"
    columns = "error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')"
    shown = con.execute(
        f"""SELECT line, error_type, csv_line FROM (
              SELECT *, row_number() OVER (PARTITION BY {columns} ORDER BY line) AS k FROM {bad} WHERE NOT blank)
            WHERE k <= $kept ORDER BY line""",
        {"kept": raw.limits.problems_kept},
    ).fetchall()
    for line, error_type, csv_line in shown:
        raw.note(_structure_problem(line, error_type, csv_line.strip("\r\n"), raw))
    for is_count, n in con.execute(f"SELECT {columns}, count(*) FROM {bad} WHERE NOT blank GROUP BY ALL").fetchall():
        code = "wrong-field-count" if is_count else "malformed-row"
        left = n - sum(1 for _, error_type, _ in shown if (error_type in _COUNT_ERRORS) == is_count)
        if left:
            raw.more[code] = raw.more.get(code, 0) + left
    raw.invalid_unicode = bool(
        con.execute(
            f"SELECT count(*) FROM {bad} WHERE NOT blank AND error_type IN ('INVALID ENCODING', 'INVALID UNICODE')"
        ).fetchone()[0]
    )
    raw.rejected = rejected - blank_rejected
    raw.blank = len(empty) + blank_rejected
    blank_lines = [
        r[0] for r in con.execute(f"SELECT line FROM {bad} WHERE blank ORDER BY line LIMIT 100000").fetchall()
    ]
    raw.blank_ranges = merge_ranges(_ranges_of(empty), [[n, n] for n in blank_lines])
    raw.blank_cut = len(raw.blank_ranges) > RANGES_KEPT or blank_rejected > len(blank_lines)
    raw.blank_ranges = raw.blank_ranges[:RANGES_KEPT]
    # The parsed rows are in file order (insertion order is preserved), and with the
    # balance proven each one sits on exactly one of the lines not blank or rejected.
    if not rejected and not len(empty):  # line = position + first data line: a view, no copy
        first = int(raw.header_line + 1)
        con.execute(f"CREATE TEMP VIEW {raw.table} AS SELECT rowid + {first} AS line, * FROM {raw.table}_parsed")
        return True
    else:
        con.execute(
            f"""CREATE TEMP TABLE {raw.table} AS
                WITH skip AS (SELECT line FROM {bad} UNION ALL SELECT line FROM {empty_table}),
                good AS (
                  SELECT line, row_number() OVER (ORDER BY line) - 1 AS idx
                  FROM range($first, $last + 1) t(line) ANTI JOIN skip USING (line))
                SELECT good.line, p.* FROM {raw.table}_parsed p JOIN good ON good.idx = p.rowid""",
            {"first": raw.header_line + 1, "last": raw.header_line + total},
        )
    con.execute(f"DROP TABLE {raw.table}_parsed")
    return True


_COUNT_ERRORS = ("MISSING COLUMNS", "TOO MANY COLUMNS")
SAMPLE_LINES = 2000
FEW_BROKEN = 10_000  # DuckDB pays dearly for each rejected line (about 80 µs and 7 KB): more go to Python


def _mostly_broken(data: bytes, facts: LineFacts, raw: RawTable) -> bool:
    """Whether, judging from lines spread over the file, it holds more than FEW_BROKEN
    lines whose cells do not match the header: those are read by the exact parser, which
    rejects a line for a few microseconds (DuckDB's rejects would take seconds and GBs)."""
    import numpy as np

    total = facts.lines - raw.header_line
    if total <= FEW_BROKEN:
        return False
    ends = facts.ends
    broken = 0
    for index in np.linspace(raw.header_line, facts.lines - 1, SAMPLE_LINES).astype(np.int64):
        start = int(ends[index - 1]) + 1 if index else 0
        stop = int(ends[index]) if index < len(ends) else len(data)
        line = data[start:stop].decode("utf-8", "replace").rstrip("\r")
        if not line.strip():
            continue
        try:
            cells = next(csv.reader([line], delimiter=raw.delimiter, strict=True), [])
        except csv.Error:
            cells = []
        broken += len(cells) != len(raw.headers)
    return broken * total / SAMPLE_LINES > FEW_BROKEN


def _lines_table(con, table: str, numbers) -> None:
    """A temporary table `line BIGINT` of line numbers (a numpy array), without a Python list."""
    if not len(numbers):
        con.execute(f"CREATE TEMP TABLE {table} (line BIGINT)")
        return
    import pandas as pd

    view = f"{table}_frame"
    con.register(view, pd.DataFrame({"line": numbers.astype("int64")}))
    con.execute(f"CREATE TEMP TABLE {table} AS SELECT line FROM {view}")
    con.unregister(view)


def _structure_problem(line: int, error_type: str, csv_line: str, raw: RawTable) -> Problem:
    if error_type in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
        found = len(next(csv.reader([csv_line.rstrip("\r\n")], delimiter=raw.delimiter), []))
        return Problem(
            "wrong-field-count",
            line=line,
            params={
                "found": found,
                "expected": len(raw.headers),
                "delimiter": DELIMITER_NAMES[raw.delimiter],
            },
        )
    return Problem("malformed-row", line=line, params={"detail": error_type.lower()})


def numbered_rows(reader) -> Iterator[tuple[int, list[str] | None, csv.Error | None]]:
    """(line, cells, None) for each record of a `csv.reader`, with the line it starts on,
    or (line, None, error) for a record the reader could not read (it goes on after it)."""
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, None, exc
            continue
        yield start, cells, None


def _read_csv_python(con, text: str, raw: RawTable) -> None:
    """Parse with Python's csv module, which knows on which line each record starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=raw.delimiter, strict=True)
    rows = RowSink(con, raw)
    while reader.line_num < raw.header_line:  # skip the preamble and header by lines
        try:
            next(reader)
        except (StopIteration, csv.Error):
            break
    if reader.line_num != raw.header_line:
        raise ReadError(Problem("accounting-error", line=raw.header_line, params={"detail": "en-tête / header"}))
    width = len(raw.headers)
    for start, cells, error in numbered_rows(reader):
        if error is not None:
            raw.rejected += 1
            end = max(reader.line_num, start)  # the reader stopped where the record ended
            detail = str(error) if end == start else f"{error}, lignes/lines {start}–{end}"
            raw.note(Problem("malformed-row", line=start, params={"detail": detail}))
            continue
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            raw.add_blank(start)
            continue
        if len(cells) != width:
            raw.rejected += 1
            raw.note(
                Problem(
                    "wrong-field-count",
                    line=start,
                    params={"found": len(cells), "expected": width, "delimiter": DELIMITER_NAMES[raw.delimiter]},
                )
            )
            continue
        rows.add([start, *cells])
    raw.parser = "python"
    lines = text.count("\n") + (not text.endswith("\n"))
    if reader.line_num != lines:  # every line must have been consumed by some record
        raise ReadError(Problem("accounting-error", params={"detail": f"{reader.line_num} / {lines}"}))
    rows.close()


class RowSink:
    """Rows (`[line, cell, ...]`) into the staging table by batches: Python never holds
    more than a batch of them."""

    BATCH = 50_000

    def __init__(self, con, raw: RawTable):
        self.con, self.raw, self.rows, self.created = con, raw, [], False
        raw.rows = 0

    def add(self, row: list) -> None:
        self.rows.append(row)
        self.raw.rows += 1
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        import pandas as pd  # only for the exact parser and XLSX: keeps the CLI's start fast

        frame = pd.DataFrame(self.rows, columns=["line", *self.raw.columns])
        frame = frame.astype({"line": "int64", **{c: "string" for c in self.raw.columns}})
        view = f"{self.raw.table}_frame"
        self.con.register(view, frame)
        if self.created:
            self.con.execute(f"INSERT INTO {self.raw.table} SELECT * FROM {view}")
        else:
            self.con.execute(f"CREATE TEMP TABLE {self.raw.table} AS SELECT * FROM {view}")
            self.created = True
        self.con.unregister(view)
        self.rows = []

    def close(self) -> None:
        if self.rows or not self.created:
            self.flush()


def _check_cells(con, raw: RawTable) -> None:
    """Refuse a cell longer than the limit (header included), naming its line and column."""
    limit = raw.limits.cell_chars
    for i, header in enumerate(raw.headers):
        if len(header) > limit:
            raise ReadError(_cell_too_long(raw.header_line, f"#{i + 1}", len(header), limit))
    lengths = ", ".join(f"coalesce(length({c}), 0)" for c in raw.columns)
    row = con.execute(
        f"SELECT line, [{lengths}] AS n FROM {raw.table} WHERE greatest({lengths}) > $limit ORDER BY line LIMIT 1",
        {"limit": limit},
    ).fetchone()
    if row:
        line, sizes = row
        at = max(range(len(sizes)), key=sizes.__getitem__)
        raise ReadError(_cell_too_long(line, raw.headers[at] or f"#{at + 1}", sizes[at], limit))


def _cell_too_long(line: int, column: str, found: int, limit: int) -> Problem:
    return Problem("cell-too-long", line=line, column=column, params={"found": number(found), "limit": number(limit)})


def _check_lines(raw_limits: Limits, facts: LineFacts) -> None:
    longest, at = facts.longest
    if longest > raw_limits.line_bytes:
        params = {"found": number(longest), "limit": number(raw_limits.line_bytes)}
        raise ReadError(Problem("line-too-long", line=at, params=params))


def _check_size(raw: RawTable, after: int) -> None:
    """Refuse a file with too many columns or lines, before reading its rows."""
    lim = raw.limits
    if len(raw.headers) > lim.columns:
        params = {"found": number(len(raw.headers)), "limit": number(lim.columns)}
        raise ReadError(Problem("too-many-columns", line=raw.header_line, params=params))
    if after > lim.rows:
        raise ReadError(
            Problem("too-many-rows", line=raw.header_line, params={"found": number(after), "limit": number(lim.rows)})
        )


def read_csv(
    con, path: Path, data: bytes, schema: Schema, table: str, encoding: str | None = None, lim: Limits | None = None
) -> RawTable:
    lim = lim or limits()
    encoding = encoding or detect_encoding(data)
    utf8 = data if encoding == "utf-8" else to_utf8(data, encoding)
    if b"\r" in utf8 and LONE_CR.search(utf8):  # old Mac line ends, alone or mixed with LF
        utf8 = LONE_CR.sub(b"\n", utf8)
    if not utf8 or utf8.isspace():
        raise ReadError(Problem("empty-file"))
    if _physical_lines(utf8) > lim.rows + HEADER_SEARCH_LINES:  # refused before indexing its lines
        index, delim, headers = find_header(_head_lines(utf8), schema)
        raw = RawTable(table=table, headers=headers, header_line=index + 1, limits=lim)
        _check_size(raw, _physical_lines(utf8) - raw.header_line)
    facts = LineFacts.of(utf8)
    _check_lines(lim, facts)
    index, delim, headers = find_header(_head_lines(utf8), schema)
    raw = RawTable(table=table, headers=headers, header_line=index + 1, encoding=encoding, delimiter=delim, limits=lim)
    _check_size(raw, facts.lines - raw.header_line)
    if index:
        raw.problems.append(Problem("skipped-lines", line=1, params={"lines": format_lines(list(range(1, index + 1)))}))
    if utf8 is data and b"\n" in data:
        source = path
    else:
        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as tmp:
            tmp.write(utf8)
        source = Path(tmp.name)
    try:
        try:
            fast = not _mostly_broken(utf8, facts, raw) and _read_csv_duckdb(con, source, raw, utf8, facts)
        except duckdb.Error:  # a line DuckDB cannot even reject: the exact parser reports it
            drop_raw(con, raw.table)
            fast = False
        if not fast:  # start again from what the header gave
            raw.problems = [p for p in raw.problems if p.code == "skipped-lines"]
            raw.more, raw._kept = {}, {"skipped-lines": len(raw.problems)}
            raw.rows = raw.rejected = raw.blank = 0
            raw.blank_ranges, raw.blank_cut = [], False
        if encoding == "utf-8" and (not fast or raw.invalid_unicode) and not _is_utf8(data):
            drop_raw(con, raw.table)  # UTF-8 only at its start: read it again as cp1252
            return read_csv(con, path, data, schema, table, encoding="cp1252", lim=lim)
        if not fast:
            _read_csv_python(con, utf8.decode("utf-8"), raw)
        if raw.parser == "python" or facts.longest[0] > lim.cell_chars:
            _check_cells(con, raw)
    finally:
        if source != path:
            source.unlink(missing_ok=True)
    return raw


def _head_lines(utf8: bytes) -> list[str]:
    # Split on LF only: str.splitlines() also splits on form feeds, U+2028 and others,
    # which DuckDB and the csv module do not, and the header position must agree.
    return [line.rstrip("\r") for line in utf8[:SNIFF_BYTES].decode("utf-8", errors="ignore").split("\n")]


def drop_raw(con, prefix: str) -> None:
    """Drop the temporary views and tables of one reading and its validation (all named
    `<prefix>...`), whichever of them exist: a second reading starts clean."""
    views = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE temporary AND starts_with(view_name, ?)", [prefix]
    ).fetchall()
    for (view,) in views:  # views first: they depend on the tables
        con.execute(f"DROP VIEW IF EXISTS {view}")
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, ?)", [prefix]
    ).fetchall()
    for (table,) in tables:
        con.execute(f"DROP TABLE IF EXISTS {table}")


# --- XLSX ------------------------------------------------------------------------


def _cell_text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Written with a decimal comma: "2,125" can only mean 2.125 (with a dot, the
        # thousands rule would read "2.125" as 2125).
        return format(Decimal(repr(value)), "f").replace(".", ",")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _unreadable_xlsx(exc: BaseException) -> ReadError:
    return ReadError(Problem("binary-file", params={"detail": f"XLSX illisible / unreadable XLSX: {exc}"}))


def _sheet_rows(sheet):
    """The rows of a calamine sheet from A1 (as `to_python(skip_empty_area=False)` gives
    them), one at a time."""
    top, left = sheet.start or (0, 0)
    rows = sheet.iter_rows()
    first = next(rows, None)
    if first is None:
        return
    width = left + len(first)
    for _ in range(top):
        yield [""] * width
    pad = [""] * left
    yield pad + list(first)
    for row in rows:
        yield pad + list(row)


def read_xlsx(con, path: Path, schema: Schema, table: str, lim: Limits | None = None) -> RawTable:
    """Read the first sheet (of the first `lim.sheets`) whose header names the fields.

    Every part is checked (sizes, ratio, DTD) and every sheet scanned as a stream (extent,
    error cells) before calamine reads it; rows then come one at a time."""
    from python_calamine import CalamineWorkbook

    lim = lim or limits()
    try:
        parts = Parts(path, lim)
    except PartError as exc:
        raise ReadError(exc.problem) from exc
    try:
        try:
            parts.check_workbook()
        except PartError as exc:
            raise ReadError(exc.problem) from exc
        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises several types (incl. panics) on broken workbooks
            raise _unreadable_xlsx(exc) from exc
        return _read_sheets(con, book, parts, schema, table, lim)
    finally:
        parts.close()


def _read_sheets(con, book, parts: Parts, schema: Schema, table: str, lim: Limits) -> RawTable:
    last_error: ReadError | None = None
    names = book.sheet_names
    for position, name in enumerate(names[: lim.sheets]):
        try:
            extent = parts.scan_sheet(position)
        except PartError as exc:
            raise ReadError(exc.problem) from exc
        if extent.rows * extent.columns > lim.cells:
            params = {
                "sheet": name,
                "rows": number(extent.rows),
                "columns": number(extent.columns),
                "found": number(extent.rows * extent.columns),
                "limit": number(lim.cells),
            }
            raise ReadError(Problem("too-many-cells", params=params))
        try:  # a sheet is parsed only now: a damaged sheet or ZIP member fails here (found by fuzzing)
            rows = _sheet_rows(book.get_sheet_by_name(name))
            head = [row for _, row in zip(range(HEADER_SEARCH_LINES), rows, strict=False)]
        except Exception as exc:
            raise _unreadable_xlsx(exc) from exc
        lines = [";".join(_cell_text(v) or "" for v in row) for row in head]
        try:
            index, _, _ = find_header(lines, schema)
        except ReadError as exc:
            last_error = exc
            continue
        header_row = [_cell_text(v) or "" for v in head[index]]
        while header_row and not header_row[-1]:
            header_row.pop()
        raw = RawTable(
            table=table,
            headers=header_row,
            header_line=index + 1,
            format="xlsx",
            sheet=name,
            parser="calamine",
            limits=lim,
        )
        _check_size(raw, max(0, extent.rows - raw.header_line))
        try:
            _xlsx_rows(con, raw, head[index + 1 :], rows, extent.errors)
        except Exception as exc:
            drop_raw(con, raw.table)
            if isinstance(exc, ReadError):
                raise
            raise _unreadable_xlsx(exc) from exc
        return raw
    if len(names) > lim.sheets:
        params = {"found": number(len(names)), "limit": number(lim.sheets)}
        raise ReadError(Problem("too-many-sheets", params=params))
    if last_error is None:
        raise ReadError(Problem("empty-file"))
    raise last_error


def _xlsx_rows(con, raw: RawTable, head: list, rest, errors: dict) -> None:
    width, limit = len(raw.headers), raw.limits.cell_chars
    for i, header in enumerate(raw.headers):
        if len(header) > limit:
            raise ReadError(_cell_too_long(raw.header_line, f"#{i + 1}", len(header), limit))
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in errors.items():
        by_row.setdefault(r, []).append((c, text))
    sink = RowSink(con, raw)
    start = raw.header_line + 1
    for number_, row in enumerate(itertools.chain(head, rest), start=start):
        if number_ - raw.header_line > raw.limits.rows:
            found = number_ - raw.header_line
            params = {"found": f"> {number(found - 1)}", "limit": number(raw.limits.rows)}
            raise ReadError(Problem("too-many-rows", line=raw.header_line, params=params))
        for c, text in by_row.get(number_ - 1, ()):
            if c < len(row):
                row[c] = text  # "#N/A": validation reports it like any unreadable value
        cells = [_cell_text(v) for v in row[:width]] + [None] * max(0, width - len(row))
        for c, text in enumerate(cells):
            if text is not None and len(text) > limit:
                raise ReadError(_cell_too_long(number_, raw.headers[c] or f"#{c + 1}", len(text), limit))
        overflow = [v for v in row[width:] if _cell_text(v) is not None]
        if overflow:
            raw.rejected += 1
            raw.note(
                Problem(
                    "wrong-field-count",
                    line=number_,
                    params={"found": width + len(overflow), "expected": width, "delimiter": "XLSX"},
                )
            )
        elif all(c is None or not c.strip() for c in cells):
            raw.add_blank(number_)
        else:
            sink.add([number_, *cells])
    sink.close()


# --- entry point -----------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read_table(con: duckdb.DuckDBPyConnection, path: Path, schema: Schema, data: bytes | None = None) -> RawTable:
    """Read a CSV or XLSX file into a new temporary DuckDB table; raise ReadError
    when the file is not a table at all."""
    path = Path(path)
    data = path.read_bytes() if data is None else data
    table = f"raw_{uuid.uuid4().hex[:12]}"
    try:
        return _read_table(con, path, schema, data, table, limits())
    except ReadError:
        drop_raw(con, table)  # a limit met halfway: nothing of the reading is left
        raise


def _read_table(con, path: Path, schema: Schema, data: bytes, table: str, lim: Limits) -> RawTable:
    if not data or data.isspace():
        raise ReadError(Problem("empty-file"))
    if data.startswith(OLE_MAGIC):
        raise ReadError(Problem("unsupported-format", params={"detail": "Excel 97-2003 (.xls)"}))
    if data.startswith(XLSX_MAGIC):
        if b"xl/" not in data[:65536] and b"[Content_Types].xml" not in data[:65536]:
            raise ReadError(Problem("unsupported-format", params={"detail": "ZIP / ODS"}))
        raw = read_xlsx(con, path, schema, table, lim)
    else:
        raw = read_csv(con, path, data, schema, table, lim=lim)
    if raw.records == 0 or (raw.rows == 0 and raw.rejected == 0):
        drop_raw(con, raw.table)
        raise ReadError(Problem("header-only", line=raw.header_line))
    return raw
