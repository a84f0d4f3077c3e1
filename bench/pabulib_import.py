"""Time and peak memory of importing one Pabulib file (the largest city-wide one).

    git -C PATH/TO/pabulib_files show HEAD:pb_files/Poland_Krakow_2024.pb > /tmp/Poland_Krakow_2024.pb
    .venv/bin/python bench/pabulib_import.py /tmp/Poland_Krakow_2024.pb

Measures, on a fresh database in a temp directory:
- `python -m etl load FILE.pb` as a user runs it (a subprocess): wall time and peak RSS
  of the whole process (Python, DuckDB, the importer, the load transaction);
- the importer alone in this process (`etl.sources.read_export`: parse the three
  sections, count and sum the voters): wall time and peak Python allocations
  (tracemalloc), best of `--repeats`.
Writes the figures as JSON to bench/results/pabulib_import.json (or `--out`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.db import open_database  # noqa: E402
from etl.sources import read_export  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "pabulib_import.json")
    args = parser.parse_args()
    data = args.file.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "etl", "load", str(args.file), "--db", str(db)],
            capture_output=True, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
        cli_s = time.perf_counter() - started
        cli_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode != 0:
            print(done.stdout, done.stderr)
            return 1
        con = open_database(Path(tmp) / "parse.duckdb")
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            export = read_export(con, data, args.file.name)
            times.append(time.perf_counter() - t0)
        tracemalloc.start()  # a separate run: tracemalloc slows allocation-heavy code down
        read_export(con, data, args.file.name)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        con.close()
        # The same command on a one-row contract CSV: the fixed cost of the process.
        tiny = Path(tmp) / "one_row.csv"
        tiny.write_text(
            "ville;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues\n"
            "Kraków;2024-05-01;atelier;consultation;1;30;2\n",
            encoding="utf-8",
        )
        rss_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "etl", "load", str(tiny), "--db", str(Path(tmp) / "tiny.duckdb")],
            capture_output=True, env=env, cwd=ROOT, check=True,
        )  # fmt: skip
        baseline_s = time.perf_counter() - t0
        baseline_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        baseline_rss_mb = baseline_rss / 1024 if baseline_rss > rss_before else None
    result = {
        "file": args.file.name,
        "size_mb": round(len(data) / 2**20, 2),
        "summary": export.summary("en"),
        "cli_load_s": round(cli_s, 2),
        "cli_peak_rss_mb": round(cli_rss_mb, 1),
        "importer_s": round(min(times), 3),
        "importer_peak_alloc_mb": round(peak, 1),
        "baseline_one_row_csv_load_s": round(baseline_s, 2),
        "baseline_one_row_csv_peak_rss_mb": round(baseline_rss_mb, 1) if baseline_rss_mb else "≤ the .pb load's",
        "cli_output": done.stdout.strip().splitlines()[:2],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
