"""Read what cities really produce into a DuckDB staging table of text cells.

Reading is lenient (BOMs, cp1252, UTF-16, `;` `,` tab `|`, comment lines before the
header, real Excel dates) and exact about lines: every data line of the file ends up
as a staged row, a reported problem, or a counted blank line, each with the line
number a text editor shows (for XLSX, the sheet's row number).

CSV is parsed by DuckDB with an explicit dialect (never its sniffer, which can skip
rows silently: duckdb/duckdb#25827). When the line count does not balance (records
spanning several lines), the file is parsed again by Python's csv module, which
tracks lines exactly.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import duckdb

from etl.problems import Problem
from etl.schema import Schema

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
    blank_lines: list[int] = field(default_factory=list)
    invalid_unicode: bool = False

    @property
    def columns(self) -> list[str]:
        return [f"c{i}" for i in range(len(self.headers))]

    @property
    def records(self) -> int:
        """Data records found after the header: staged, rejected or blank."""
        return self.rows + self.rejected + self.blank


class ReadError(Exception):
    """The file cannot be read as a table at all; carries the problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


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


def _empty_line_numbers(data: bytes, after: int) -> list[int]:
    """1-based numbers of empty lines ("" or "\\r") after line `after`."""
    numbers, line, pos = [], 1, 0
    for match in re.finditer(rb"\n(?=\r?\n)", data):
        line += data.count(b"\n", pos, match.start()) + 1
        pos = match.start() + 1
        if line > after:
            numbers.append(line)
    return numbers


def _physical_lines(data: bytes) -> int:
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _read_csv_duckdb(con, path: Path, raw: RawTable, data: bytes) -> bool:
    """Parse with DuckDB; True when the line accounting balances (one record per line)."""
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
    rejected_rows = con.execute(
        f"SELECT line, any_value(error_type), any_value(csv_line) FROM {rejects} GROUP BY line ORDER BY line"
    ).fetchall()
    empty = _empty_line_numbers(data, raw.header_line)
    total = _physical_lines(data) - raw.header_line
    if parsed + len(rejected_rows) + len(empty) != total:
        drop_raw(con, raw.table)
        return False
    raw.rows, raw.parser = parsed, "duckdb"
    bad_lines, problems = [], []
    for line, error_type, csv_line in rejected_rows:
        csv_line = (csv_line or "").strip("\r\n")  # DuckDB prefixes preceding blank lines
        if not csv_line.strip():
            empty.append(line)
            continue
        bad_lines.append(line)
        raw.invalid_unicode |= error_type in ("INVALID ENCODING", "INVALID UNICODE")
        problems.append(_structure_problem(line, error_type, csv_line, raw))
    if len(set(empty) | set(bad_lines)) != len(empty) + len(bad_lines):
        drop_raw(con, raw.table)
        return False  # lines do not map one to one: let the exact parser do it
    raw.problems += problems
    raw.rejected, raw.blank, raw.blank_lines = len(bad_lines), len(empty), sorted(empty)
    # The parsed rows are in file order (insertion order is preserved), and with the
    # balance proven each one sits on exactly one of the lines not blank or rejected.
    skip_lines = sorted(set(empty) | set(bad_lines))
    if not skip_lines:  # line = position + first data line: a view, no copy
        first = int(raw.header_line + 1)
        con.execute(f"CREATE TEMP VIEW {raw.table} AS SELECT rowid + {first} AS line, * FROM {raw.table}_parsed")
        return True
    else:
        con.execute(
            f"""CREATE TEMP TABLE {raw.table} AS
                WITH good AS (
                  SELECT line, row_number() OVER (ORDER BY line) - 1 AS idx
                  FROM range($first, $last + 1) t(line)
                  WHERE NOT list_contains($skip_lines, line))
                SELECT good.line, p.* FROM {raw.table}_parsed p JOIN good ON good.idx = p.rowid""",
            {
                "first": raw.header_line + 1,
                "last": raw.header_line + total,
                "skip_lines": skip_lines,
            },
        )
    con.execute(f"DROP TABLE {raw.table}_parsed")
    return True


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


def _read_csv_python(con, text: str, raw: RawTable) -> None:
    """Parse with Python's csv module, which knows on which line each record starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=raw.delimiter, strict=True)
    rows: list[list] = []
    while reader.line_num < raw.header_line:  # skip the preamble and header by lines
        try:
            next(reader)
        except (StopIteration, csv.Error):
            break
    if reader.line_num != raw.header_line:
        raise ReadError(Problem("accounting-error", line=raw.header_line, params={"detail": "en-tête / header"}))
    width = len(raw.headers)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raw.rejected += 1
            end = max(reader.line_num, start)
            detail = str(exc) if end == start else f"{exc}, lignes/lines {start}–{end}"
            raw.problems.append(Problem("malformed-row", line=start, params={"detail": detail}))
            continue
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            raw.blank += 1
            raw.blank_lines.append(start)
            continue
        if len(cells) != width:
            raw.rejected += 1
            raw.problems.append(
                Problem(
                    "wrong-field-count",
                    line=start,
                    params={"found": len(cells), "expected": width, "delimiter": DELIMITER_NAMES[raw.delimiter]},
                )
            )
            continue
        rows.append([start, *cells])
    raw.rows, raw.parser = len(rows), "python"
    lines = text.count("\n") + (not text.endswith("\n"))
    if reader.line_num != lines:  # every line must have been consumed by some record
        raise ReadError(Problem("accounting-error", params={"detail": f"{reader.line_num} / {lines}"}))
    _create_from_rows(con, raw, rows)


def _create_from_rows(con, raw: RawTable, rows: list[list]) -> None:
    import pandas as pd  # only for the exact parser and XLSX: keeps the CLI's start fast

    frame = pd.DataFrame(rows, columns=["line", *raw.columns])
    frame = frame.astype({"line": "int64", **{c: "string" for c in raw.columns}})
    view = f"{raw.table}_frame"
    con.register(view, frame)
    con.execute(f"CREATE TEMP TABLE {raw.table} AS SELECT * FROM {view}")
    con.unregister(view)


def read_csv(con, path: Path, data: bytes, schema: Schema, table: str, encoding: str | None = None) -> RawTable:
    encoding = encoding or detect_encoding(data)
    utf8 = data if encoding == "utf-8" else to_utf8(data, encoding)
    if b"\r" in utf8 and LONE_CR.search(utf8):  # old Mac line ends, alone or mixed with LF
        utf8 = LONE_CR.sub(b"\n", utf8)
    if not utf8 or utf8.isspace():
        raise ReadError(Problem("empty-file"))
    # Split on LF only: str.splitlines() also splits on form feeds, U+2028 and others,
    # which DuckDB and the csv module do not, and the header position must agree.
    head_lines = [line.rstrip("\r") for line in utf8[:SNIFF_BYTES].decode("utf-8", errors="ignore").split("\n")]
    index, delim, headers = find_header(head_lines, schema)
    raw = RawTable(table=table, headers=headers, header_line=index + 1, encoding=encoding, delimiter=delim)
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
            fast = _read_csv_duckdb(con, source, raw, utf8)
        except duckdb.Error:  # a line DuckDB cannot even reject: the exact parser reports it
            drop_raw(con, raw.table)
            raw.problems = [p for p in raw.problems if p.code == "skipped-lines"]
            fast = False
        if encoding == "utf-8" and (not fast or raw.invalid_unicode) and not _is_utf8(data):
            drop_raw(con, raw.table)  # UTF-8 only at its start: read it again as cp1252
            return read_csv(con, path, data, schema, table, encoding="cp1252")
        if not fast:
            _read_csv_python(con, utf8.decode("utf-8"), raw)
    finally:
        if source != path:
            source.unlink(missing_ok=True)
    return raw


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


REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S)


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def error_cells(path: Path, sheet_position: int) -> dict[tuple[int, int], str]:
    """{(row index, column index): "#N/A"} for the cells of a sheet holding an Excel error.

    calamine reads them as empty cells; they must be reported, not loaded as blanks."""
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(path) as book:
            sheets = ET.fromstring(book.read("xl/workbook.xml")).iter(
                "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
            )
            rel_id = [s.get(REL_NS) for s in sheets][sheet_position]
            rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
            name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            xml = book.read(name)
    except (KeyError, IndexError, StopIteration, zipfile.BadZipFile, ET.ParseError):
        return {}
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise _unreadable_xlsx(exc) from exc  # a damaged ZIP member (found by tests/test_fuzz.py)
    return {
        (int(row) - 1, _column_index(col)): value.decode("utf-8", "replace") or "#ERREUR"
        for col, row, value in ERROR_CELL.findall(xml)
    }


def _unreadable_xlsx(exc: BaseException) -> ReadError:
    return ReadError(Problem("binary-file", params={"detail": f"XLSX illisible / unreadable XLSX: {exc}"}))


def read_xlsx(con, path: Path, schema: Schema, table: str) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types (incl. panics) on broken workbooks
        raise _unreadable_xlsx(exc) from exc
    last_error: ReadError | None = None
    for position, name in enumerate(book.sheet_names):
        try:  # a sheet is parsed only now: a damaged sheet or ZIP member fails here (found by fuzzing)
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise _unreadable_xlsx(exc) from exc
        lines = [";".join(_cell_text(v) or "" for v in row) for row in grid[:HEADER_SEARCH_LINES]]
        try:
            index, _, _ = find_header(lines, schema)
        except ReadError as exc:
            last_error = exc
            continue
        header_row = [_cell_text(v) or "" for v in grid[index]]
        while header_row and not header_row[-1]:
            header_row.pop()
        raw = RawTable(
            table=table, headers=header_row, header_line=index + 1, format="xlsx", sheet=name, parser="calamine"
        )
        width = len(header_row)
        for (r, c), text in error_cells(path, position).items():
            if r < len(grid) and c < len(grid[r]):
                grid[r][c] = text  # "#N/A": validation reports it like any unreadable value
        rows = []
        for number, row in enumerate(grid[index + 1 :], start=index + 2):
            cells = [_cell_text(v) for v in row[:width]] + [None] * max(0, width - len(row))
            overflow = [v for v in row[width:] if _cell_text(v) is not None]
            if overflow:
                raw.rejected += 1
                raw.problems.append(
                    Problem(
                        "wrong-field-count",
                        line=number,
                        params={"found": width + len(overflow), "expected": width, "delimiter": "XLSX"},
                    )
                )
            elif all(c is None or not c.strip() for c in cells):
                raw.blank += 1
                raw.blank_lines.append(number)
            else:
                rows.append([number, *cells])
        raw.rows = len(rows)
        _create_from_rows(con, raw, rows)
        return raw
    if last_error is None:
        raise ReadError(Problem("empty-file"))
    raise last_error


# --- entry point -----------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read_table(con: duckdb.DuckDBPyConnection, path: Path, schema: Schema, data: bytes | None = None) -> RawTable:
    """Read a CSV or XLSX file into a new temporary DuckDB table; raise ReadError
    when the file is not a table at all."""
    path = Path(path)
    data = path.read_bytes() if data is None else data
    table = f"raw_{uuid.uuid4().hex[:12]}"
    if not data or data.isspace():
        raise ReadError(Problem("empty-file"))
    if data.startswith(OLE_MAGIC):
        raise ReadError(Problem("unsupported-format", params={"detail": "Excel 97-2003 (.xls)"}))
    if data.startswith(XLSX_MAGIC):
        if b"xl/" not in data[:65536] and b"[Content_Types].xml" not in data[:65536]:
            raise ReadError(Problem("unsupported-format", params={"detail": "ZIP / ODS"}))
        raw = read_xlsx(con, path, schema, table)
    else:
        raw = read_csv(con, path, data, schema, table)
    if raw.records == 0 or (raw.rows == 0 and raw.rejected == 0):
        drop_raw(con, raw.table)
        raise ReadError(Problem("header-only", line=raw.header_line))
    return raw
