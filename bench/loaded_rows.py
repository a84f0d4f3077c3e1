"""No-regression check: every kind of real city file loads exactly as before a change.

Loads each file into a fresh database and dumps what the load did (status, counts,
problems with their messages) and every row it wrote, as JSON lines. Run it before a
change (`--out before.jsonl`), after it (`--out after.jsonl`), then `--compare` them.

Files: tests/fixtures (CSV, XLSX, the others rejected), the demo city files of
`etl demo` (seed 20221, 3,000 rows, all the styles: Excel CSV cp1252, CSV UTF-8 with
BOM, English CSV, XLSX) and the four templates filled with demo rows.

Usage:
  .venv/bin/python bench/loaded_rows.py --out /tmp/before.jsonl
  .venv/bin/python bench/loaded_rows.py --out /tmp/after.jsonl
  .venv/bin/python bench/loaded_rows.py --compare /tmp/before.jsonl /tmp/after.jsonl
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.db import open_database  # noqa: E402
from etl.demo import prepare_files  # noqa: E402
from etl.load import load_file  # noqa: E402
from etl.templates import template_csv, template_xlsx  # noqa: E402

TODAY = date(2026, 11, 25)
FIXTURES = ROOT / "tests" / "fixtures"


def files(work: Path) -> list[Path]:
    found = sorted(p for p in FIXTURES.iterdir() if p.is_file() and p.suffix in (".csv", ".xlsx", ".xls", ".txt"))
    found += sorted((FIXTURES / "headers").glob("*.csv"))
    cities = pd.read_csv(ROOT / "data" / "cities.csv", dtype={"code": str})
    demo = prepare_files(cities, work / "demo", rows=3000, seed=20221, today=TODAY)
    found += sorted(demo)
    found += templates(work, sorted(p for p in demo if p.suffix == ".csv")[0])
    return found


def templates(work: Path, sample: Path) -> list[Path]:
    """The templates with the rows of one demo file below their header."""
    import openpyxl

    out = []
    body = sample.read_bytes().decode("cp1252" if b"\r\n" in sample.read_bytes()[:4000] else "utf-8-sig")
    lines = body.replace("\r\n", "\n").split("\n")[1:51]
    for lang in ("fr", "en"):
        path = work / f"template_{lang}.csv"
        sep = ";" if lang == "fr" else ","
        rows = [line.split(";") for line in lines if line]
        text = template_csv(lang).decode("utf-8")
        buffer = io.StringIO()
        import csv

        csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
        path.write_bytes((text + buffer.getvalue()).encode("utf-8"))
        out.append(path)
        book = openpyxl.load_workbook(io.BytesIO(template_xlsx(lang)))
        sheet = book.worksheets[0]
        for row in rows:
            sheet.append(row)
        xlsx = work / f"template_{lang}.xlsx"
        book.save(xlsx)
        out.append(xlsx)
    return out


def dump(path: Path, work: Path) -> dict:
    db = work / "db" / f"{path.parent.name}_{path.name}.duckdb"
    db.parent.mkdir(exist_ok=True)
    con = open_database(db)
    try:
        report = load_file(con, path, user="check", today=TODAY)
        columns = [
            c
            for c, t in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'records' "
                "ORDER BY ordinal_position"
            ).fetchall()
            if t != "TIMESTAMP" and c not in ("load_id",)
        ]
        rows = con.execute(f"SELECT {', '.join(columns)} FROM records ORDER BY source_line, record_key").fetchall()  # noqa: S608 -- names from the catalog
    finally:
        con.close()
    return {
        "file": f"{path.parent.name if path.parent.name in ('fixtures', 'headers', 'demo') else 'templates'}/{path.name}",
        "status": report.status,
        "counts": [report.rows_read, report.blank, report.rejected_rows, report.inserted, report.updated],
        "read": [report.encoding, report.delimiter, report.file_format, report.sheet, report.header_line],
        "headers": report.headers,
        "problems": [[p.line, p.column, p.code, p.message("fr"), p.message("en")] for p in report.problems],
        "columns": columns,
        "rows": [[str(v) if v is not None else None for v in row] for row in rows],
    }


def compare(before: Path, after: Path) -> int:
    old = {d["file"]: d for d in map(json.loads, before.read_text().splitlines())}
    new = {d["file"]: d for d in map(json.loads, after.read_text().splitlines())}
    differ = 0
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        if a != b:
            differ += 1
            keys = [k for k in (a or b) if (a or {}).get(k) != (b or {}).get(k)]
            print(f"DIFFERS {name}: {keys}")
    loaded = sum(d["status"] == "loaded" for d in old.values())
    rows = sum(len(d["rows"]) for d in old.values())
    print(f"{len(old)} files ({loaded} loaded, {rows} rows written), {differ} differ")
    return int(bool(differ))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with args.out.open("w", encoding="utf-8") as out:
            for path in files(work):
                out.write(json.dumps(dump(path, work), ensure_ascii=False) + "\n")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
