"""Benchmark: how page times and memory grow with the data (10k, 100k and 1M records).

One run (see bench/README.md, section "How cost grows"), for each size in `--rows`:

1. a database built like bench/pages.py builds it (the same function): `--cities` cities, N
   generated records in one template CSV, loaded by `python -m etl load` (wall time, peak RSS);
2. server side, with bench/pages.py's AppTest measurement: for each page (and the floor), cold
   and warm runs, `--repeats` times, medians;
3. in the browser: one `streamlit run dashboard.py` server on that database, one context; each
   page visited once (its first visit on this server) and `--visits` more times (warm), timed
   with bench/pages.py's `visit` (goto until the run is over and every chart is drawn); then
   the server's resident memory, current and peak;
4. writes everything to a JSON file and prints markdown tables: each page's times against the
   number of records, and the memory at each size.

Usage: .venv/bin/python bench/scale.py [--rows 10000,100000,1000000] [--cities 112] [--out bench/results/scale.json]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from etl_load import ROOT, provenance, run_and_report  # the sibling benchmarks' helpers
from pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DASHBOARD,
    FLOOR_APP,
    VIEWPORT,
    _median,
    _version,
    browser_page,
    build_database,
    cpu_window,
    measure_server,
    project_version,
    registered_pages,
    streamlit_server,
    visit,
)
from sessions import memory_mib, server_pid

DEFAULT_PAGES = "/,/ville,/comparer,/degres,/donnees"


def browser_pass(db: Path, pages, expected: dict[str, int], visits: int, log: Path) -> dict:
    """One server on `db`, one browser context: each page's first visit, then `visits` warm ones;
    the server's memory at the end."""
    from playwright.sync_api import sync_playwright

    out: dict = {"pages": {}}
    with cpu_window(out), streamlit_server(DASHBOARD, db, log) as (url, startup):
        pid = server_pid(int(url.rsplit(":", 1)[1]))
        out["server_start_s"], out["rss_at_start_mib"] = round(startup, 2), memory_mib(pid)["VmRSS"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
                tab = context.new_page()
                for page in pages:
                    runs = [visit(tab, url + page.label, expected[page.label]) for _ in range(1 + visits)]
                    warm = [v["s"] for v in runs[1:] if v["s"] is not None]
                    errors = {v["error"] for v in runs if v["error"]}
                    errors |= {"exception box"} if any(v["exception_box"] for v in runs) else set()
                    out["pages"][page.label] = {
                        "first_s": runs[0]["s"],
                        "warm_median_s": _median(warm),
                        "visits": runs,
                        "errors": sorted(errors),
                    }
                context.close()
                # The floor (one small chart, no data) on its own server, in the same run: the reference.
                floor = browser_page(browser, FLOOR_APP, db, "/", expected["floor"], visits, log)
                out["pages"]["floor"] = {
                    "first_s": floor["cold_s"],
                    "warm_median_s": floor["warm_median_s"],
                    "visits": floor["visits"],
                    "errors": sorted(
                        {v["error"] for v in floor["visits"] if v["error"]} | set(filter(None, [floor.get("error")]))
                    ),
                }
                out["chromium"] = browser.version
            finally:
                browser.close()
        memory = memory_mib(pid)
        out["rss_after_visits_mib"], out["rss_peak_mib"] = memory["VmRSS"], memory["VmHWM"]
    return out


def one_size(args: argparse.Namespace, rows: int, pages, workdir: Path) -> dict:
    """Build the database of `rows` records, then measure every page on it."""
    folder = workdir / f"rows_{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\n== {rows:,} records, {args.cities} cities -> {folder}", flush=True)
    db, data = build_database(argparse.Namespace(**{**vars(args), "rows": rows}), folder)
    load = data["load"]
    print(f"  etl load {load['wall_s']} s, {load['peak_rss_mib']} MiB, exit {load['returncode']}", flush=True)
    if load["returncode"] != 0:
        return {"rows": rows, "data": data, "error": "etl load failed"}
    os.environ["ENGAGEMENT_DB"] = str(db)  # AppTest runs the dashboard in this process
    server, warmup = measure_server(pages, args.repeats)
    expected = {p.label: server[p.label]["charts"] or 0 for p in pages} | {"floor": server["floor"]["charts"] or 0}
    browser = browser_pass(db, pages, expected, args.visits, folder / "streamlit.log")
    for label, b in browser["pages"].items():
        print(f"  browser {label:<10} first {b['first_s']} s, warm {b['warm_median_s']} s", flush=True)
    print(f"  server RSS after the visits {browser['rss_after_visits_mib']} MiB, peak {browser['rss_peak_mib']}")
    return {"rows": rows, "data": data, "server_side": {"warmup": warmup, "results": server}, "browser": browser}


def run(args: argparse.Namespace, workdir: Path) -> dict:
    wanted = [p.strip() for p in args.pages.split(",")]
    pages = [p for p in registered_pages() if p.label in wanted]
    missing = sorted(set(wanted) - {p.label for p in pages})
    if missing:
        raise SystemExit(f"pages not registered in dashboard.py: {missing}")
    sizes = [one_size(args, rows, pages, workdir) for rows in args.rows]
    versions = {"streamlit": _version("streamlit"), "plotly": _version("plotly")}
    result = provenance("scale", project_version(), **versions) | {
        "cities": args.cities,
        "seed": args.seed,
        "repeats": args.repeats,
        "warm_visits": args.visits,
        "pages": [p.label for p in pages],
        "sizes": sizes,
    }
    result["summary"] = summarise(result)
    result["checks_ok"] = checks_ok(result)
    return result


def summarise(result: dict) -> list[dict]:
    """One row per (size, page): the medians; plus the memory of each size (page None)."""
    rows = []
    for size in result["sizes"]:
        if "error" in size:
            rows.append({"rows": size["rows"], "page": None, "error": size["error"]})
            continue
        server, browser, data = size["server_side"]["results"], size["browser"], size["data"]
        rows.append(
            {
                "rows": size["rows"],
                "page": None,
                "db_size_mb": data.get("db_size_mb"),
                "load_s": data["load"]["wall_s"],
                "load_peak_rss_mib": data["load"]["peak_rss_mib"],
                "server_rss_after_visits_mib": browser["rss_after_visits_mib"],
                "server_rss_peak_mib": browser["rss_peak_mib"],
                "other_cpu_s_browser": browser["other_cpu_s"],
            }
        )
        for label in ["floor", *result["pages"]]:
            s, b = server[label], browser["pages"].get(label, {})
            rows.append(
                {
                    "rows": size["rows"],
                    "page": label,
                    "server_cold_s": s["cold_median_s"],
                    "server_warm_s": s["warm_median_s"],
                    "browser_first_s": b.get("first_s"),
                    "browser_warm_s": b.get("warm_median_s"),
                    "charts": s["charts"],
                    "errors": s["errors"] + b.get("errors", []),
                }
            )
    return rows


def checks_ok(result: dict) -> dict:
    """Each size loaded its N records, and no page showed an error (not how fast)."""
    sizes = result["sizes"]
    return {
        "every_load_ok": all("error" not in s and s["data"].get("activities") == s["rows"] for s in sizes),
        "no_page_error": all(not r.get("errors") and "error" not in r for r in result["summary"] if r["page"]),
    }


def _cell(value: object, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def _pivot(result: dict, key: str, title: str) -> None:
    sizes = [s["rows"] for s in result["sizes"]]
    cells = {(r["rows"], r["page"]): r.get(key) for r in result["summary"] if r["page"]}
    print(f"\n{title}\n")
    print("| page | " + " | ".join(f"{n:,} records" for n in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for page in ["floor", *result["pages"]]:
        print(f"| `{page}` | " + " | ".join(_cell(cells.get((n, page)), 3) for n in sizes) + " |")


def print_table(result: dict) -> None:
    print(f"\n{result['cities']} cities; pages {', '.join(result['pages'])}; seconds, medians")
    _pivot(result, "server_cold_s", "Server side, cold (AppTest run, every cache empty):")
    _pivot(result, "server_warm_s", "Server side, warm:")
    _pivot(result, "browser_first_s", "Browser, first visit of the page on a fresh server (goto until charts drawn):")
    _pivot(result, "browser_warm_s", "Browser, warm:")
    print("\nMemory and size:\n")
    print(
        "| records | database MB | `etl load` s | load peak RSS MiB | server RSS after visits MiB | server peak RSS MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for r in result["summary"]:
        if r["page"] is None and "error" not in r:
            cells = [r["rows"], r["db_size_mb"], r["load_s"], r["load_peak_rss_mib"]]
            cells += [r["server_rss_after_visits_mib"], r["server_rss_peak_mib"]]
            print("| " + " | ".join(_cell(c, 1) for c in cells) + " |")
    for r in result["summary"]:
        if r.get("errors") or "error" in r:
            print(f"  ! {r['rows']:,} {r['page']}: {r.get('errors') or r.get('error')}")
    print(f"checks: {result['checks_ok']}")


def _sizes(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=_sizes, default=[10_000, 100_000, 1_000_000], help="comma-separated sizes")
    p.add_argument("--cities", type=int, default=112, help="the 112 reference cities, plus synthetic ones above 112")
    p.add_argument("--pages", default=DEFAULT_PAGES, help="URL paths of the pages to measure, comma-separated")
    p.add_argument("--seed", type=int, default=20261125)
    p.add_argument("--repeats", type=int, default=3, help="server-side cold/warm pairs per page")
    p.add_argument("--visits", type=int, default=3, help="warm browser visits per page, after the first")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    p.add_argument("--workdir", type=Path, help="keep the CSVs, databases and server logs here (rows_N/ per size)")
    p.add_argument("--reuse-db", action="store_true", help="reuse the databases an earlier run left in --workdir")
    return p


def main() -> int:
    return run_and_report(_parser().parse_args(), run, print_table, "bench_scale_")


if __name__ == "__main__":
    raise SystemExit(main())
