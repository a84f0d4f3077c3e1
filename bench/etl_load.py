"""Benchmark: validated load of a large template-format CSV, against DuckDB alone.

One run does everything (see bench/README.md, section "ETL load"):

1. generates one CSV of N rows in the French template format (titles of the schema
   fields in schema order, `;` separator, dd/mm/yyyy dates, decimal commas, UTF-8
   without BOM, CRLF line ends) for all the reference cities, with the project's own
   generator `etl.demo.generate`; generation is timed but not compared;
2. measures, each step in a fresh subprocess (wall clock from here, peak RSS of that
   process from GNU `time -v`, else from a one-child Python wrapper):
   a. DuckDB alone: `CREATE TABLE t AS SELECT * FROM read_csv(file, delim=';', header=true)`
      into a fresh database file;
   b. `python -m etl load FILE --db FRESH_DB`, then checks that `activities` has N rows;
   a and b alternate, `--repeats` times each;
   c. an incremental load of 1,000 rows of one city into the last database of b;
   d. loading the N-row file again into that database (skipped by its sha256);
3. writes every figure to a JSON file and prints a short table.

Usage: .venv/bin/python bench/etl_load.py [--rows 1000000] [--out bench/results/etl_load.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CITIES_CSV = ROOT / "data" / "cities.csv"
GNU_TIME = Path("/usr/bin/time")
GENERATION_DAY = date(2026, 11, 25)  # fixed "today" of the generator: the same seed gives the same file

TARGET_RATIO = 3.0
TARGET_PEAK_MIB = 2048.0  # "2 GB", read as 2 GiB
TARGET_INCREMENTAL_S = 2.0

DUCKDB_ALONE = """
import sys
import duckdb

con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv($path, delim = ';', header = true)", {"path": sys.argv[2]})
con.close()
"""

# Fallback without GNU time: a fresh wrapper has exactly one child, so RUSAGE_CHILDREN is that child's.
RUSAGE_WRAPPER = """
import resource, subprocess, sys

code = subprocess.run(sys.argv[1:]).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"BENCH-RUSAGE {usage.ru_maxrss} {usage.ru_utime} {usage.ru_stime}", file=sys.stderr)
sys.exit(code)
"""


@dataclass
class Measure:
    """One measured subprocess."""

    step: str
    wall_s: float
    peak_rss_mib: float
    user_s: float
    sys_s: float
    returncode: int
    other_cpu_s: float  # CPU time used meanwhile by other processes of the machine (interference)
    stdout: str = ""
    stderr_tail: str = ""
    checks: dict = field(default_factory=dict)


# --- machine ----------------------------------------------------------------------


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _total_memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return float("nan")


def project_version() -> dict:
    """The commit the ETL was measured at, and the ETL files changed since (they change the numbers)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], check=False, cwd=ROOT, capture_output=True, text=True)
        return done.stdout.rstrip() if done.returncode == 0 else "unknown"

    changed = git("status", "--porcelain", "etl").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted_etl": [line.strip() for line in changed]}


def provenance(benchmark: str, project: dict, **machine) -> dict:
    """What every benchmark's result starts with: its name, when and by which command it
    ran (bench/<benchmark>.py), on what machine (plus the `machine` facts given) and at
    which commit (`project`, each benchmark's project_version)."""
    return {
        "benchmark": benchmark,
        "run_at": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", f"bench/{benchmark}.py", *sys.argv[1:]]),
        "machine": machine_facts() | machine,
        "project": project,
    }


def machine_facts() -> dict:
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": _cpu_model(),
        "memory_total_gib": _total_memory_gib(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "platform": platform.platform(),
        "peak_rss_source": "GNU time -v" if GNU_TIME.exists() else "getrusage(RUSAGE_CHILDREN) in a one-child wrapper",
    }


# --- input files ------------------------------------------------------------------


def read_cities() -> pd.DataFrame:
    return pd.read_csv(CITIES_CSV, dtype={"code": str}, usecols=["code", "nom", "pays", "population"])


def generate_frame(cities: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    from etl.demo import generate  # imported here: the project root is put on sys.path by main()

    return generate(cities, rows=rows, seed=seed, today=GENERATION_DAY)


def write_template_csv(frame: pd.DataFrame, path: Path) -> None:
    """The frame as a French-Excel CSV of the template, but in UTF-8 (the reader's fast path)."""
    from etl.schema import load_schema

    schema = load_schema()
    table = frame[schema.names].copy()
    for name in ("date_debut", "date_fin"):
        table[name] = pd.to_datetime(table[name]).dt.strftime("%d/%m/%Y")
    table.columns = [f.title("fr") for f in schema.fields]
    table.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8", lineterminator="\r\n")


def make_full_file(path: Path, rows: int, seed: int) -> dict:
    """Write the N-row file; return its facts and the generation timings."""
    t0 = time.perf_counter()
    frame = generate_frame(read_cities(), rows, seed)
    t1 = time.perf_counter()
    write_template_csv(frame, path)
    t2 = time.perf_counter()
    return {
        "path": str(path),
        "rows": rows,
        "cities": int(frame["code"].nunique()),
        "size_mb": round(path.stat().st_size / 1e6, 1),
        "encoding": "utf-8 (no BOM), CRLF, ';', dd/mm/yyyy, decimal comma",
        "generate_s": round(t1 - t0, 2),
        "write_csv_s": round(t2 - t1, 2),
    }


def make_incremental_file(path: Path, rows: int, seed: int, city: str) -> dict:
    """`rows` rows of one city, from a generation with another seed (ids collide partially)."""
    cities = read_cities()
    frame = generate_frame(cities[cities["code"] == city], rows, seed)
    write_template_csv(frame, path)
    return {"path": str(path), "rows": rows, "city": city, "size_mb": round(path.stat().st_size / 1e6, 3)}


# --- measuring --------------------------------------------------------------------


def _time_v_value(text: str, label: str) -> float:
    match = re.search(rf"^\s*{re.escape(label)}: ([\d.]+)\s*$", text, re.MULTILINE)
    return float(match.group(1)) if match else float("nan")


def _usage(stderr: str) -> tuple[float, float, float, str]:
    """(peak RSS KiB, user s, sys s, the command's own stderr) from the wrapped run's stderr."""
    if GNU_TIME.exists():
        own, _, report = stderr.rpartition("\tCommand being timed:")
        kib = _time_v_value(report, "Maximum resident set size (kbytes)")
        return kib, _time_v_value(report, "User time (seconds)"), _time_v_value(report, "System time (seconds)"), own
    own, found, report = stderr.rpartition("BENCH-RUSAGE ")
    if not found:  # the wrapper itself failed
        return float("nan"), float("nan"), float("nan"), stderr
    kib, user, system = (float(x) for x in report.split())
    return kib, user, system, own


def _busy_cpu_s() -> float:
    """CPU time (all cores, all processes) spent busy since boot, from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def measure(step: str, cmd: list[str], cwd: Path = ROOT) -> Measure:
    """Run `cmd` in a fresh process; wall time from here, peak RSS of that process."""
    wrapped = [str(GNU_TIME), "-v", *cmd] if GNU_TIME.exists() else [sys.executable, "-c", RUSAGE_WRAPPER, *cmd]
    busy = _busy_cpu_s()
    start = time.perf_counter()
    done = subprocess.run(wrapped, check=False, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    busy = _busy_cpu_s() - busy
    kib, user, system, own_stderr = _usage(done.stderr)
    return Measure(
        step=step,
        wall_s=round(wall, 3),
        peak_rss_mib=round(kib / 1024, 1),
        user_s=user,
        sys_s=system,
        returncode=done.returncode,
        other_cpu_s=round(max(0.0, busy - user - system), 1),
        stdout=done.stdout.strip()[-2000:],
        stderr_tail=own_stderr.strip()[-4000:],
    )


def _query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


LAST_LOAD_SQL = (
    "SELECT load_id, status, rows_read, inserted, updated, unchanged, encoding FROM loads ORDER BY load_id DESC LIMIT 1"
)


def _last_load(db: Path) -> dict:
    names = ["load_id", "status", "rows_read", "inserted", "updated", "unchanged", "encoding"]
    return dict(zip(names, _query(db, LAST_LOAD_SQL)[0], strict=True))


def _db_size_mb(db: Path) -> float:
    files = [db, db.with_name(db.name + ".wal")]
    return round(sum(f.stat().st_size for f in files if f.exists()) / 1e6, 1)


def _remove_db(db: Path) -> None:
    db.unlink(missing_ok=True)
    db.with_name(db.name + ".wal").unlink(missing_ok=True)


def run_duckdb_alone(csv: Path, workdir: Path, label: str) -> Measure:
    db = workdir / f"{label}.duckdb"
    m = measure(label, [sys.executable, "-c", DUCKDB_ALONE, str(db), str(csv)])
    if m.returncode == 0:
        m.checks["rows"] = _query(db, "SELECT count(*) FROM t")[0][0]
        m.checks["column_types"] = dict(_query(db, "SELECT column_name, column_type FROM (DESCRIBE t)"))
        m.checks["db_size_mb"] = _db_size_mb(db)
    _remove_db(db)
    return m


def run_etl_load(csv: Path, db: Path, label: str) -> Measure:
    m = measure(label, [sys.executable, "-m", "etl", "load", str(csv), "--db", str(db)])
    if m.returncode == 0:
        m.checks["activities"] = _query(db, "SELECT count(*) FROM activities")[0][0]
        m.checks["loads"] = _query(db, "SELECT count(*) FROM loads")[0][0]
        m.checks["last_load"] = _last_load(db)
        m.checks["db_size_mb"] = _db_size_mb(db)
    return m


# --- the run ----------------------------------------------------------------------


def _best(measures: list[Measure]) -> Measure | None:
    ok = [m for m in measures if m.returncode == 0]
    return min(ok, key=lambda m: m.wall_s) if ok else None


def compare(rows: int, alone: list[Measure], loads: list[Measure], incremental: Measure | None) -> dict:
    """Best times, the ratio and the verdict on each target."""
    best_a, best_b = _best(alone), _best(loads)
    ratio = round(best_b.wall_s / best_a.wall_s, 2) if best_a and best_b else None
    peak = max((m.peak_rss_mib for m in loads), default=None)
    return {
        "best_duckdb_alone_s": best_a.wall_s if best_a else None,
        "best_etl_load_s": best_b.wall_s if best_b else None,
        "ratio_etl_over_duckdb": ratio,
        "etl_load_rows_per_s": round(rows / best_b.wall_s) if best_b else None,
        "targets": {
            "ratio_within_3x": None if ratio is None else ratio <= TARGET_RATIO,
            "etl_peak_rss_under_2gib": None if peak is None else peak < TARGET_PEAK_MIB,
            "incremental_under_2s": None if incremental is None else incremental.wall_s < TARGET_INCREMENTAL_S,
        },
        "etl_peak_rss_mib_max": peak,
    }


def alternate(csv: Path, workdir: Path, repeats: int) -> tuple[list[Measure], list[Measure], Path]:
    """a1, b1, a2, b2, ...; returns both series and the database of the last b (kept for c and d)."""
    alone: list[Measure] = []
    loads: list[Measure] = []
    for i in range(1, repeats + 1):
        alone.append(run_duckdb_alone(csv, workdir, f"duckdb_alone_{i}"))
        print(f"  a{i} duckdb alone   {alone[-1].wall_s:8.2f} s  {alone[-1].peak_rss_mib:8.1f} MiB", flush=True)
        db = workdir / f"etl_{i}.duckdb"
        loads.append(run_etl_load(csv, db, f"etl_load_{i}"))
        print(f"  b{i} etl load       {loads[-1].wall_s:8.2f} s  {loads[-1].peak_rss_mib:8.1f} MiB", flush=True)
        if i < repeats:
            _remove_db(db)
    return alone, loads, db


def run(args: argparse.Namespace, workdir: Path) -> dict:
    full_csv, inc_csv = workdir / f"activites_{args.rows}.csv", workdir / "activites_increment.csv"
    print(f"generating {args.rows:,} rows -> {full_csv}", flush=True)
    files = {"full": make_full_file(full_csv, args.rows, args.seed)}
    files["incremental"] = make_incremental_file(inc_csv, args.incremental_rows, args.seed + 1, args.incremental_city)
    full = files["full"]
    print(f"  {full['size_mb']} MB, generate {full['generate_s']} s, write {full['write_csv_s']} s", flush=True)

    alone, loads, db = alternate(full_csv, workdir, args.repeats)
    incremental = reload = None
    if loads[-1].returncode == 0:
        incremental = run_etl_load(inc_csv, db, "incremental_load")
        reload = run_etl_load(full_csv, db, "reload_same_file")
    result = provenance("etl_load", project_version()) | {
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        "rows": args.rows,
        "seed": args.seed,
        "files": files,
        "duckdb_alone": [asdict(m) for m in alone],
        "etl_load": [asdict(m) for m in loads],
        "incremental_load": asdict(incremental) if incremental else None,
        "reload_same_file": asdict(reload) if reload else None,
    }
    result["summary"] = compare(args.rows, alone, loads, incremental)
    result["checks_ok"] = checks_ok(result)
    return result


def checks_ok(result: dict) -> dict:
    """Did every step do what it should (not how fast)?"""
    rows = result["rows"]
    inc, reload = result["incremental_load"], result["reload_same_file"]
    return {
        "duckdb_alone_rows": all(m["checks"].get("rows") == rows for m in result["duckdb_alone"]),
        "etl_load_exit_0_and_n_activities": all(
            m["returncode"] == 0 and m["checks"].get("activities") == rows for m in result["etl_load"]
        ),
        "incremental_loaded": bool(inc and inc["returncode"] == 0 and inc["checks"]["last_load"]["status"] == "loaded"),
        "reload_skipped": bool(
            reload and reload["returncode"] == 0 and reload["checks"]["loads"] == inc["checks"].get("loads")
        ),
    }


# --- report -----------------------------------------------------------------------


def _row(label: str, m: dict | None) -> str:
    if m is None:
        return f"{label:<22} {'not run':>8}"
    status = "ok" if m["returncode"] == 0 else f"exit {m['returncode']}"
    cpu = f"{m['user_s']:>7.1f} {m['sys_s']:>6.1f} {m['other_cpu_s']:>7.1f}"
    return f"{label:<22} {m['wall_s']:>8.2f} {m['peak_rss_mib']:>10.1f} {cpu}  {status}"


def print_table(result: dict) -> None:
    full, summary = result["files"]["full"], result["summary"]
    print(
        f"\n{result['rows']:,} rows, {full['size_mb']} MB; generation {full['generate_s']} s + write {full['write_csv_s']} s"
    )
    print(f"{'step':<22} {'wall s':>8} {'peak MiB':>10} {'user s':>7} {'sys s':>6} {'other s':>7}")
    for m in result["duckdb_alone"] + result["etl_load"]:
        print(_row(m["step"], m))
    print(_row("incremental (1 city)", result["incremental_load"]))
    print(_row("reload same file", result["reload_same_file"]))
    targets = summary["targets"]
    print(
        f"best ETL / best DuckDB alone = {summary['ratio_etl_over_duckdb']} (target <= {TARGET_RATIO}: {targets['ratio_within_3x']})"
    )
    print(
        f"ETL peak RSS {summary['etl_peak_rss_mib_max']} MiB (target < {TARGET_PEAK_MIB:.0f}: {targets['etl_peak_rss_under_2gib']})"
    )
    print(f"incremental under {TARGET_INCREMENTAL_S} s: {targets['incremental_under_2s']}")
    print("(other s: CPU seconds used by other processes during the step; near 0 = undisturbed)")
    print(f"checks: {result['checks_ok']}")
    _print_failures(result)


def _print_failures(result: dict) -> None:
    steps = [*result["duckdb_alone"], *result["etl_load"], result["incremental_load"], result["reload_same_file"]]
    for m in steps:
        if m and m["returncode"] != 0:
            print(f"\n{m['step']} exited with {m['returncode']}:\n{m['stdout']}\n{m['stderr_tail']}")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "etl_load.json")
    p.add_argument("--repeats", type=int, default=2, help="runs of a and of b (alternating)")
    p.add_argument("--seed", type=int, default=20261125)
    p.add_argument("--incremental-rows", type=int, default=1000)
    p.add_argument("--incremental-city", default="244900015", help="city code (default: Angers Loire Métropole)")
    p.add_argument("--workdir", type=Path, help="keep the CSV and databases here (default: a temp dir, removed)")
    return p


def run_and_report(args: argparse.Namespace, run, print_table, prefix: str) -> int:
    """Run a benchmark in `--workdir` (or a temp dir), write its JSON, print its table.

    Exit status 1 when a correctness check failed (never for a missed speed target)."""
    sys.path.insert(0, str(ROOT))
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        result = run(args, args.workdir.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            result = run(args, Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print_table(result)
    print(f"\nresults: {args.out}")
    return 0 if all(result["checks_ok"].values()) else 1


def main() -> int:
    return run_and_report(_parser().parse_args(), run, print_table, "bench_etl_load_")


if __name__ == "__main__":
    raise SystemExit(main())
