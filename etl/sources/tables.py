"""CSV files of platform exports, read with the line each record starts on (records
span several lines when a quoted cell holds HTML with line breaks)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from etl.problems import Problem, more_problems, number
from etl.readers import numbered_rows

MAX_ROW_PROBLEMS = 50


@dataclass
class Table:
    """One CSV of an export: its header and its rows as {column: text}, with lines."""

    member: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.header

    def prefixed(self, prefix: str) -> list[str]:
        """Columns starting with `prefix/` (e.g. title/fr, title/en), machine translations last."""
        found = [h for h in self.header if h.startswith(prefix + "/")]
        return sorted(found, key=lambda h: "machine_translations" in h)


class RowProblems:
    """The problems of an export's unreadable rows: the first MAX_ROW_PROBLEMS described in
    `into`, every one counted, and `close()` adds the line that says how many more."""

    def __init__(self, into: list[Problem], file: str | None = None):
        self.into, self.file, self.counts = into, file, Counter()

    def add(self, problem: Problem) -> None:
        self.counts[problem.code] += 1
        if self.counts.total() <= MAX_ROW_PROBLEMS:
            self.into.append(problem)

    def close(self) -> None:
        if self.counts.total() > MAX_ROW_PROBLEMS:
            self.into.append(more_problems(dict(self.counts), self.into, self.file))


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252 (an export re-saved by Excel)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def first_line(data: bytes) -> str:
    head = decode(data[:4096]) if data else ""
    return head.split("\n", 1)[0]


def delimiter_of(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=counts.get)


def read_table(data: bytes, member: str) -> Table:
    from etl.settings import limits
    from etl.sources import ExportError

    # Each row becomes a dict: a table past the limit is refused before any is built.
    lines, limit = data.count(b"\n"), limits().export_rows
    if lines - 1 > limit:
        params = {"found": number(lines - 1), "limit": number(limit)}
        raise ExportError([Problem("too-many-rows", line=1, file=member, params=params)])
    text = decode(data)
    delim = delimiter_of(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        return Table(member, [])
    table = Table(member, header)
    bad = RowProblems(table.problems, member)
    for start, cells, error in numbered_rows(reader):
        if error is not None:
            bad.add(Problem("malformed-row", line=start, file=member, params={"detail": str(error)}))
            continue
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if len(cells) != len(header):
            params = {"found": len(cells), "expected": len(header), "delimiter": f"« {delim} »"}
            bad.add(Problem("wrong-field-count", line=start, file=member, params=params))
            continue
        table.rows.append((start, dict(zip(header, cells, strict=True))))
    bad.close()
    return table


TAG = re.compile(r"<[^>]+>")


def plain(text: str | None) -> str:
    """A title without HTML tags or runs of spaces."""
    return re.sub(r"\s+", " ", TAG.sub(" ", text or "")).strip()


def truthy(text: str | None) -> bool:
    return (text or "").strip().lower() in ("true", "1", "yes", "oui", "si", "sí", "t")
