"""What the follow-up and representation columns (issue 17) cost the query every page runs:
`aggregates_by_city` as it is now against the same query before issue 17 (commit afbce26,
kept in git), on the same database of N demo records, plus the Python side (compute, total,
median of the cities) and the returning share by quarter.

    .venv/bin/python bench/follow_up.py                 # 300,000 rows -> bench/results/follow_up.json
    .venv/bin/python bench/follow_up.py --rows 50000 --out /tmp/follow_up.json

The records are inserted straight into the `records` table (the load path has its own
benchmark, bench/etl_load.py): what is timed is reading.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import demo  # noqa: E402
from etl.db import open_database  # noqa: E402
from etl.schema import load_schema  # noqa: E402
from etl.structure import DEMO_FILE, load_structure  # noqa: E402
from queries import framework_params, prepare, run, sql  # noqa: E402
from queries.metrics import compute, median_of_cities, total  # noqa: E402
from queries.selection import Selection  # noqa: E402

TODAY = date(2026, 11, 25)


def build(path: Path, rows: int) -> None:
    con = open_database(path)
    cities = con.execute("SELECT code, nom, pays, population, mission FROM cities WHERE mission").df()
    frame = demo.generate(cities.sort_values("code", ignore_index=True), rows=rows, seed=20261125, today=TODAY)
    schema = load_schema()
    frame["ville"] = frame["code"]
    frame["retour_public"] = frame["retour_public"].map({"oui": True, "non": False, "": None})
    for name in ("url_source", "url_reponse"):
        frame[name] = frame[name].replace("", None)
    records = frame[schema.names].assign(
        record_key="id:" + frame["id_activite"], row_hash=0, load_id=1, source_line=0, valid_from=datetime(2026, 11, 25)
    )
    con.register("bench_records", records)
    columns = ", ".join([*schema.names, "record_key", "row_hash", "load_id", "source_line", "valid_from"])
    con.execute(f"INSERT INTO records ({columns}) SELECT {columns} FROM bench_records")  # noqa: S608 (names from the schema)
    load_structure(con, DEMO_FILE.read_bytes(), user="bench", demo=True)
    con.close()


def timed(action, repeats: int) -> dict:
    action()  # warm: the first run reads the file into DuckDB's buffers
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return {"median_ms": round(1000 * statistics.median(times), 1), "min_ms": round(1000 * min(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "follow_up.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        build(path, args.rows)
        built_s = time.perf_counter() - started
        before = subprocess.run(
            ["git", "show", "afbce26:queries/sql/aggregates_by_city.sql"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        con = prepare(open_database(path))
        params = Selection(date(2015, 1, 1), date(2100, 1, 1)).params() | framework_params() | {"lang": "fr"}
        used_before = {k: v for k, v in params.items() if f"${k}" in before}
        frame = run(con, "aggregates_by_city", params)
        results = {
            "rows": args.rows,
            "cities": len(frame),
            "activities_with_answer_date": int(sum(len(d) for d in frame["answer_delays"])),
            "build_s": round(built_s, 1),
            "aggregates_by_city_before_issue_17": timed(lambda: con.execute(before, used_before).df(), args.repeats),
            "aggregates_by_city_now": timed(lambda: run(con, "aggregates_by_city", params), args.repeats),
            "compute_total_median_python": timed(
                lambda: (compute(frame), total(frame), median_of_cities(frame)), args.repeats
            ),
            "follow_up_returning_by_quarter": timed(
                lambda: run(con, "follow_up_returning_by_quarter", params), args.repeats
            ),
        }
        con.close()
    assert sql("aggregates_by_city") != before
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
