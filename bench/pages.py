"""Benchmark: the dashboard's pages at scale, server side and in a real browser, against a floor.

One run does everything (see bench/README.md, section "Pages"):

1. builds a database: the 112 reference cities plus any synthetic bench cities (BENCH-001...,
   registered through the CLI's `cities add`, deterministic from a seed), N rows over all of
   them from the project's generator `etl.demo.generate`, written as ONE template-format CSV
   and loaded with `python -m etl load FILE --db DB` (timed, peak RSS);
2. server side, in this process with `streamlit.testing.v1.AppTest`: for each page registered
   in dashboard.py, `--repeats` times: a fresh AppTest, `st.cache_data.clear()`, the timed
   `.run()` of the page (cold), then the same AppTest run again (warm);
3. in the browser (Playwright driving Debian's Chromium), for each page: a fresh
   `streamlit run dashboard.py` server, the first visit (cold) and `--visits` more (warm),
   each from `page.goto(url)` until the script has finished and every chart is drawn;
4. the same for bench/floor_app.py (one 10-point plotly line): the floor; and for
   bench/bare_app.py (the City page's three charts in a bare multipage app): what
   Streamlit itself needs for such a page, with nothing of the dashboard around it;
   and for each page its bare twin (bench/bare_pages.py: the page's own views for its default
   view, at the same URL path), that twin with the frame's sidebar filters, and its content
   twin (bench/replay_pages.py: the elements the page sent, recorded from a visit, sent
   again by a script that does nothing else: the floor for that content), on their own
   servers, visited in turn with the page: `browser_warm_over_bare` and
   `content_twin_over_bare` in the summary;
5. writes every figure to a JSON file and prints a table with each page's warm/floor and
   warm/twin ratios.

Usage: .venv/bin/python bench/pages.py [--rows 1000000] [--cities 112] [--out bench/results/pages.json] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from etl_load import (  # the sibling benchmark's helpers
    GENERATION_DAY,
    ROOT,
    _busy_cpu_s,
    measure,
    provenance,
    read_cities,
    run_and_report,
    write_template_csv,
)

DASHBOARD = ROOT / "dashboard.py"
FLOOR_APP = ROOT / "bench" / "floor_app.py"
BARE_APP = ROOT / "bench" / "bare_app.py"  # the City page's three charts in a bare multipage app
TWINS_APP = ROOT / "bench" / "bare_pages.py"  # each page's own charts at its URL path, nothing else
TWIN_FILTERS = {"BARE_TWIN_FILTERS": "1"}  # ...and the frame's sidebar filters (ui/filters.py), which stay
REPLAY_APP = ROOT / "bench" / "replay_pages.py"  # each page's content as recorded, sent again by a bare script
REFERENCES = ("floor", "bare")
# The elements Streamlit draws, as its frontend marks them: each element, and each block
# (container, column, row, expander's or tab's body) that holds them.
ELEMENTS = '[data-testid="stElementContainer"], [data-testid="stVerticalBlock"], [data-testid="stHorizontalBlock"]'

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}  # as tests/test_browser.py
APPTEST_TIMEOUT_S = 600.0
BROWSER_TIMEOUT_S = 300.0
SERVER_START_TIMEOUT_S = 120.0
# ...and the app's own line per run (ui/runlog.py): the in-process AppTest runs would fill the output.
QUIET_LOGGERS = ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching.cache_data_api")
QUIET_LOGGERS += ("engagement.runs",)

TARGET_WARM_OVER_FLOOR = 2.0
TARGET_WARM_OVER_TWIN = 1.25
TARGET_COLD_SERVER_S = 1.0

# Synthetic bench cities: a box (lat min, lat max, lon min, lon max) inside each country.
COUNTRY_BOXES = {
    "FR": (44.0, 49.0, 0.0, 5.0),
    "DE": (48.5, 53.0, 7.5, 13.0),
    "IT": (42.5, 45.5, 9.0, 12.5),
    "ES": (38.0, 42.5, -6.0, -1.0),
    "PL": (50.5, 53.5, 16.0, 23.0),
    "NL": (51.6, 52.9, 4.8, 6.8),
    "BE": (50.3, 51.0, 3.5, 5.5),
    "AT": (47.0, 48.3, 13.0, 16.0),
    "CZ": (49.2, 50.5, 13.0, 17.0),
    "SE": (56.5, 60.0, 13.0, 17.0),
    "PT": (38.5, 41.5, -8.5, -7.5),
    "RO": (44.5, 47.0, 23.0, 27.0),
}
POPULATION_RANGE = (80_000, 1_500_000)

# Finished = the app's script run is over AND every plotly chart has its SVG frame. Before the
# first run the attribute reads "initial", so "notRunning" means a run has ended. `expected` is
# the number of charts the same page drew under AppTest: until that many exist the page is not
# done (an exception box also ends the wait, and is reported).
FINISHED_JS = """expected => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"]')) return true;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return plots.length >= expected && plots.every(p => p.querySelector('.main-svg') !== null);
}"""
STATE_JS = """() => ({
  state: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') ?? null,
  charts: document.querySelectorAll('.js-plotly-plot').length,
  main_svg: document.querySelectorAll('.js-plotly-plot .main-svg').length,
  exception: document.querySelectorAll('[data-testid="stException"]').length,
  elements: document.querySelectorAll(ELEMENTS).length,
})""".replace("ELEMENTS", json.dumps(ELEMENTS))


@dataclass(frozen=True)
class PageSpec:
    """One page of the app: its script (as AppTest's switch_page wants it) and its URL path."""

    script: str  # relative to the main script, e.g. "app_pages/city.py"
    url_path: str  # "" for the default page
    default: bool

    @property
    def label(self) -> str:
        return "/" + self.url_path


# --- machine and project --------------------------------------------------------------


def _version(module: str) -> str:
    try:
        return __import__(module).__version__
    except (ImportError, AttributeError):
        return "unknown"


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], check=False, cwd=ROOT, capture_output=True, text=True)
    return done.stdout.rstrip() if done.returncode == 0 else "unknown"


def project_version() -> dict:
    """The commit measured, and the files of the read side changed since (they change the numbers)."""
    paths = ["dashboard.py", "app_pages", "views", "charts", "queries", "ui", "etl", "exports"]
    paths += ["bench/floor_app.py", "bench/bare_app.py", "bench/bare_pages.py", "bench/replay_pages.py"]
    changed = _git("status", "--porcelain", "--", *paths).splitlines()
    return {"commit": _git("rev-parse", "--short", "HEAD"), "uncommitted_read_side": [x.strip() for x in changed]}


def _process_tree_cpu_s() -> float:
    """CPU time of this process and all its descendants (with their reaped children), from /proc."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        cpu[pid] = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    tree, frontier = {os.getpid()}, [os.getpid()]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(cpu.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def cpu_window(into: dict) -> Iterator[None]:
    """Record in `into` the wall time and the CPU time other processes of the machine used meanwhile
    (busy CPU of the machine minus that of this process and its descendants: server, browser)."""
    busy, own, start = _busy_cpu_s(), _process_tree_cpu_s(), time.perf_counter()
    yield
    other = (_busy_cpu_s() - busy) - (_process_tree_cpu_s() - own)
    into["window_wall_s"] = round(time.perf_counter() - start, 1)
    into["other_cpu_s"] = round(max(0.0, other), 1)


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


# --- the data -----------------------------------------------------------------------


def synthetic_cities(count: int, seed: int) -> pd.DataFrame:
    """`count` bench cities spread over Europe, populations log-uniform in POPULATION_RANGE."""
    rng = np.random.default_rng(seed)
    countries = list(COUNTRY_BOXES)
    rows = []
    for i in range(1, count + 1):
        country = countries[(i - 1) % len(countries)]
        lat0, lat1, lon0, lon1 = COUNTRY_BOXES[country]
        low, high = np.log(POPULATION_RANGE[0]), np.log(POPULATION_RANGE[1])
        rows.append(
            {
                "code": f"BENCH-{i:03d}",
                "nom": f"Ville de test {i:03d}",
                "pays": country,
                "population": int(round(np.exp(rng.uniform(low, high)), -2)),
                "latitude": round(float(rng.uniform(lat0, lat1)), 4),
                "longitude": round(float(rng.uniform(lon0, lon1)), 4),
            }
        )
    # with no city to add (the reference list already has `count`), still the columns
    return pd.DataFrame(rows, columns=["code", "nom", "pays", "population", "latitude", "longitude"])


def register_cities(db: Path, cities: pd.DataFrame) -> None:
    """`python -m etl cities add ...` for each city, through the CLI's entry point in this process."""
    from etl.cli import main as etl_cli

    for city in cities.itertuples(index=False):
        argv = ["cities", "add", "--db", str(db), "--code", city.code, "--name", city.nom, "--country", city.pays]
        argv += ["--population", str(city.population), "--year", "2024", "--source", "benchmark"]
        argv += ["--lat", str(city.latitude), "--lon", str(city.longitude), "--user", "bench"]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = etl_cli(argv)
        if code != 0:
            raise RuntimeError(f"cities add {city.code} failed: {out.getvalue()}")


def _count(db: Path, sql: str) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _database_facts(db: Path) -> dict:
    return {
        "activities": _count(db, "SELECT count(*) FROM activities"),
        "cities_with_activities": _count(db, "SELECT count(DISTINCT ville) FROM activities"),
        "cities_in_database": _count(db, "SELECT count(*) FROM cities"),
        "db_size_mb": round(db.stat().st_size / 1e6, 1),
    }


def reusable_database(args: argparse.Namespace, workdir: Path) -> tuple[Path, dict] | None:
    """With --reuse-db: the database an earlier run left in --workdir, when it has the rows and
    cities asked for (building a 1,000,000-row database takes minutes). Its build is not
    measured again: the facts of the run that built it are kept in `build.json` beside it."""
    db, facts_file = workdir / "pages.duckdb", workdir / "build.json"
    if not (args.reuse_db and db.exists() and facts_file.exists()):
        return None
    facts = json.loads(facts_file.read_text(encoding="utf-8")) | _database_facts(db)
    if facts["activities"] != args.rows or facts["cities_with_activities"] != args.cities:
        return None
    return db, facts | {"reused": True}


def build_database(args: argparse.Namespace, workdir: Path) -> tuple[Path, dict]:
    """The benchmark database: reference + bench cities, N generated rows loaded by `etl load`."""
    from etl.demo import generate

    reused = reusable_database(args, workdir)
    if reused is not None:
        print(f"  reusing {reused[0]} (--reuse-db)", flush=True)
        return reused
    db, csv = workdir / "pages.duckdb", workdir / f"activites_{args.rows}.csv"
    for stale in (db, db.with_name(db.name + ".wal")):  # a database of another size: start afresh
        stale.unlink(missing_ok=True)
    reference = read_cities()
    bench = synthetic_cities(max(0, args.cities - len(reference)), args.seed)
    t0 = time.perf_counter()
    register_cities(db, bench)
    t1 = time.perf_counter()
    cities = pd.concat([reference, bench[reference.columns]], ignore_index=True).head(args.cities)
    frame = generate(cities, rows=args.rows, seed=args.seed, today=GENERATION_DAY)
    t2 = time.perf_counter()
    write_template_csv(frame, csv)
    t3 = time.perf_counter()
    print(f"  {len(bench)} bench cities {t1 - t0:.1f} s, generate {t2 - t1:.1f} s, write {t3 - t2:.1f} s", flush=True)
    load = measure("etl_load", [sys.executable, "-m", "etl", "load", str(csv), "--db", str(db)])
    facts = {
        "reference_cities": len(reference),
        "bench_cities": len(bench),
        "bench_cities_list": bench.to_dict(orient="records"),
        "cities_add_s": round(t1 - t0, 2),
        "generate_s": round(t2 - t1, 2),
        "write_csv_s": round(t3 - t2, 2),
        "csv_size_mb": round(csv.stat().st_size / 1e6, 1),
        "cities_in_file": int(frame["code"].nunique()),
        "load": load.__dict__,
    }
    if load.returncode == 0:
        facts |= _database_facts(db)
        (workdir / "build.json").write_text(json.dumps(facts, default=str), encoding="utf-8")
    return db, facts


# --- the pages ------------------------------------------------------------------------


def registered_pages(main_script: Path = DASHBOARD) -> list[PageSpec]:
    """The pages an anonymous viewer gets, in order: what the main script passes to
    st.navigation in one AppTest run (pages added for a signed-in role, or a sign-in page,
    are not measured: an anonymous benchmark cannot open them)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    seen: list = []
    navigation = st.navigation

    def recording(pages, *args, **kwargs):
        seen[:] = pages if isinstance(pages, list) else [p for group in pages.values() for p in group]
        return navigation(pages, *args, **kwargs)

    st.navigation = recording  # the script calls st.navigation(...) on the module: this records its pages
    try:
        AppTest.from_file(str(main_script), default_timeout=APPTEST_TIMEOUT_S).run()
    finally:
        st.navigation = navigation
    root = main_script.resolve().parent
    return [
        PageSpec(script=Path(p._page).relative_to(root).as_posix(), url_path=p.url_path, default=p._default)
        for p in seen
        if isinstance(p._page, Path)  # a page that is a function has no script to switch to
    ]


# --- server side: AppTest -------------------------------------------------------------


def _problems(at) -> list[str]:
    """Exceptions and error boxes shown by the run (an error box ends a page early: it is reported)."""
    found = [f"exception: {e.message}" for e in at.exception]
    return found + [f"error box: {e.value}" for e in at.error]


def quiet_bare_mode_warnings() -> None:
    """AppTest() and st.cache_data.clear() outside a script run warn that there is none: expected here;
    and the app logs each run (ui/runlog.py).

    A filter, not a level: Streamlit resets its loggers' levels when it reads its config."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).addFilter(lambda record: record.levelno > logging.WARNING)


def _timed_run(at) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def _apptest_once(script: Path, page: PageSpec | None) -> tuple[float, float, int, list[str], list[str]]:
    """Fresh AppTest (switched to `page`), cache cleared, one cold and one warm timed run."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=APPTEST_TIMEOUT_S)
    if page is not None and not page.default:
        at.run()  # st.navigation registers the pages; switch_page needs that first run
        at.switch_page(page.script)
    st.cache_data.clear()
    cold = _timed_run(at)
    problems = _problems(at)
    warm = _timed_run(at)
    problems += _problems(at)
    return cold, warm, len(at.get("plotly_chart")), [t.value for t in at.title], problems


def server_side(script: Path, page: PageSpec | None, repeats: int) -> dict:
    """Cold and warm AppTest runs of one page, `repeats` times; medians, charts drawn, problems."""
    out: dict = {"cold_s": [], "warm_s": [], "charts": None, "titles": [], "errors": []}
    with cpu_window(out):
        for _ in range(repeats):
            try:
                cold, warm, charts, titles, problems = _apptest_once(script, page)
            except Exception as exc:  # a failed page must not stop the benchmark: record it
                out["errors"].append(f"{type(exc).__name__}: {exc}")
                continue
            out["cold_s"].append(round(cold, 3))
            out["warm_s"].append(round(warm, 3))
            out["charts"], out["titles"] = charts, titles
            out["errors"] += [p for p in problems if p not in out["errors"]]
    out["cold_median_s"], out["warm_median_s"] = _median(out["cold_s"]), _median(out["warm_s"])
    return out


# --- browser ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # not listening yet
    raise TimeoutError(f"{url}/_stcore/health did not answer in {SERVER_START_TIMEOUT_S:.0f} s")


@contextlib.contextmanager
def streamlit_server(script: Path, db: Path, log: Path, env: dict | None = None) -> Iterator[tuple[str, float]]:
    """`streamlit run SCRIPT` on a free port with ENGAGEMENT_DB=db (and `env`); yields (url, start-up seconds)."""
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    env = {**os.environ, "ENGAGEMENT_DB": str(db), "PYTHONPATH": str(ROOT), **(env or {})}
    url = f"http://127.0.0.1:{port}"
    with log.open("a", encoding="utf-8") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(url, proc)
            yield url, time.perf_counter() - start
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def visit(page, url: str, expected_charts: int) -> dict:
    """Seconds from page.goto(url) until the run is over and every chart is drawn."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    start = time.perf_counter()
    loaded = seconds = error = None
    try:
        page.goto(url, timeout=BROWSER_TIMEOUT_S * 1000)
        loaded = round(time.perf_counter() - start, 3)
        page.wait_for_function(FINISHED_JS, arg=expected_charts, timeout=BROWSER_TIMEOUT_S * 1000)
        seconds = round(time.perf_counter() - start, 3)
    except PlaywrightTimeout:
        error = f"not finished after {BROWSER_TIMEOUT_S:.0f} s"
    except PlaywrightError as exc:  # e.g. the server went away: record it, measure the next page
        return {
            "s": None,
            "load_event_s": loaded,
            "charts": 0,
            "main_svg": 0,
            "exception_box": False,
            "error": str(exc),
            "elements": None,
        }
    state = page.evaluate(STATE_JS)
    if state["charts"] < expected_charts and error is None:
        error = f"{state['charts']} charts drawn, {expected_charts} expected"
    drawn = {"charts": state["charts"], "main_svg": state["main_svg"], "exception_box": state["exception"] > 0}
    drawn["elements"] = state["elements"]
    return {"s": seconds, "load_event_s": loaded, **drawn, "error": error}


def browser_page(browser, script: Path, db: Path, path: str, expected: int, visits: int, log: Path) -> dict:
    """A fresh server and browser context: the first visit (cold), then `visits` more (warm)."""
    out: dict = {"url_path": path, "expected_charts": expected}
    with cpu_window(out):
        try:
            with streamlit_server(script, db, log) as (url, startup):
                out["server_start_s"] = round(startup, 2)
                context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
                try:
                    tab = context.new_page()
                    out["visits"] = [visit(tab, url + path, expected) for _ in range(1 + visits)]
                finally:
                    context.close()
        except (RuntimeError, TimeoutError) as exc:
            out["visits"], out["error"] = [], str(exc)
    return _summarise_visits(out)


def record_pages(browser, db: Path, pages: list[tuple[str, int]], directory: Path, log: Path) -> dict[str, int]:
    """For each (url path, expected charts): a visit of the dashboard page, then a second one
    whose websocket frames (the ForwardMsgs the server sent) are written to `directory` for
    its content twin (bench/replay_pages.py). Returns the elements each recorded visit drew."""
    from replay_pages import frames_file, write_frames

    directory.mkdir(parents=True, exist_ok=True)
    drawn = {}
    with streamlit_server(DASHBOARD, db, log) as (url, _):
        context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
        try:
            tab = context.new_page()
            frames: list[bytes] = []
            tab.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame)))
            for path, expected in pages:
                visit(tab, url + path, expected)
                frames.clear()
                drawn[path] = visit(tab, url + path, expected)["elements"]
                write_frames(frames_file(directory, path), [f if isinstance(f, bytes) else f.encode() for f in frames])
        finally:
            context.close()
    return drawn


def browser_pair(browser, db: Path, path: str, expected: int, visits: int, log: Path) -> tuple[dict, ...]:
    """A page, its bare twin (bench/bare_pages.py, same URL path), the twin with the frame's
    sidebar filters (BARE_TWIN_FILTERS=1) and its content twin (bench/replay_pages.py, the
    page's recorded elements sent again: record_pages), each on a fresh server in its own
    browser context, visited in turn: page, twin, filtered twin, content twin, page... (the
    first visit of each is cold), so that the load of the machine falls on all alike."""
    page_out: dict = {"url_path": path, "expected_charts": expected}
    twin_out: dict = {"url_path": path, "expected_charts": expected}
    filtered_out: dict = {"url_path": path, "expected_charts": expected}
    content_out: dict = {"url_path": path, "expected_charts": expected}
    window: dict = {}
    servers = (
        (page_out, DASHBOARD, None),
        (twin_out, TWINS_APP, None),
        (filtered_out, TWINS_APP, TWIN_FILTERS),
        (content_out, REPLAY_APP, {"REPLAY_DIR": str(log.parent / "replay")}),
    )
    with cpu_window(window), contextlib.ExitStack() as stack:
        try:
            tabs = []
            for out, script, env in servers:
                url, startup = stack.enter_context(streamlit_server(script, db, log, env))
                out["server_start_s"], out["visits"] = round(startup, 2), []
                context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
                stack.callback(context.close)
                tabs.append((out, context.new_page(), url + path))
            for _ in range(1 + visits):
                for out, tab, url in tabs:
                    out["visits"].append(visit(tab, url, expected))
        except (RuntimeError, TimeoutError) as exc:
            for out in (page_out, twin_out, filtered_out, content_out):
                out.setdefault("visits", [])
                out["error"] = str(exc)
    for out in (page_out, twin_out, filtered_out, content_out):
        out |= window  # one window for all: they were measured together
    page_out["paired_warm_over_twin_median"] = _paired(page_out, twin_out)
    page_out["paired_warm_over_content_twin_median"] = _paired(page_out, content_out)
    content_out["paired_warm_over_twin_median"] = _paired(content_out, twin_out)
    return tuple(_summarise_visits(out) for out in (page_out, twin_out, filtered_out, content_out))


def _paired(a: dict, b: dict) -> float | None:
    """The median of the ratios of a's warm visits to b's, visit by visit (made in turn)."""
    pairs = [x["s"] / y["s"] for x, y in zip(a["visits"][1:], b["visits"][1:], strict=False) if x["s"] and y["s"]]
    return _median(pairs)


def _summarise_visits(out: dict) -> dict:
    visits = out["visits"]
    warm = [v["s"] for v in visits[1:] if v["s"] is not None]
    out["cold_s"] = visits[0]["s"] if visits else None
    out["warm_median_s"] = _median(warm)
    out["warm_load_event_median_s"] = _median([v["load_event_s"] for v in visits[1:] if v["load_event_s"] is not None])
    out["charts"] = max((v["charts"] for v in visits), default=None)
    out["elements"] = _median([v["elements"] for v in visits[1:] if v.get("elements") is not None])
    out["exception_box"] = any(v["exception_box"] for v in visits)
    return out


def browser_side(db: Path, targets: list[tuple[str, Path, str, int]], visits: int, log: Path) -> tuple[dict, str]:
    """Every target (name, script, url path, expected charts) measured in one Chromium; and its version.
    The pages' visits are recorded first, for their content twins."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            twinned = [(path, expected) for _, script, path, expected in targets if script is TWINS_APP]
            results["recorded_elements"] = record_pages(browser, db, twinned, log.parent / "replay", log)
            for name, script, path, expected in targets:
                if script is TWINS_APP:
                    pair = browser_pair(browser, db, path, expected, visits, log)
                    results[name], results["twin " + name], results["filtered twin " + name] = pair[:3]
                    results["content twin " + name] = pair[3]
                else:
                    results[name] = browser_page(browser, script, db, path, expected, visits, log)
                r = results[name]
                print(f"  browser {name:<10} cold {r['cold_s']} s, warm {r['warm_median_s']} s", flush=True)
                if twin := results.get("twin " + name):
                    ratio = _ratio(r["warm_median_s"], twin["warm_median_s"])
                    print(f"  browser {'(twin)':<10} cold {twin['cold_s']} s, warm {twin['warm_median_s']} s: x{ratio}")
                    filtered = results["filtered twin " + name]
                    ratio = _ratio(r["warm_median_s"], filtered["warm_median_s"])
                    print(
                        f"  browser {'(+filters)':<10} cold {filtered['cold_s']} s, warm {filtered['warm_median_s']} s: x{ratio}"
                    )
                    content = results["content twin " + name]
                    ratio = _ratio(r["warm_median_s"], content["warm_median_s"])
                    print(
                        f"  browser {'(content)':<10} cold {content['cold_s']} s, warm {content['warm_median_s']} s: x{ratio}"
                    )
        finally:
            version = browser.version
            browser.close()
    return results, version


# --- the run ----------------------------------------------------------------------------


def measure_server(pages: list[PageSpec], repeats: int) -> tuple[dict, dict]:
    """AppTest of every page and of the floor; the first ever run (imports) is done and kept apart."""
    quiet_bare_mode_warnings()
    warmup: dict = {}
    start = time.perf_counter()
    server_side(FLOOR_APP, None, 1)
    warmup["floor_first_run_s"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    server_side(DASHBOARD, pages[0], 1)
    warmup["dashboard_first_run_s"] = round(time.perf_counter() - start, 3)
    results = {"floor": server_side(FLOOR_APP, None, repeats), "bare": server_side(BARE_APP, None, repeats)}
    for page in pages:
        results[page.label] = server_side(DASHBOARD, page, repeats)
        r = results[page.label]
        print(f"  server  {page.label:<10} cold {r['cold_median_s']} s, warm {r['warm_median_s']} s", flush=True)
    return results, warmup


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def summarise(pages: list[PageSpec], server: dict, browser: dict) -> list[dict]:
    """One row per page (and the floor): medians, ratios to the floor and to the page's bare
    twin (same run, visits interleaved), targets met."""
    floor_warm = browser["floor"]["warm_median_s"]
    rows = []
    for name in [*REFERENCES, *(p.label for p in pages)]:
        s, b = server[name], browser[name]
        ratio = _ratio(b["warm_median_s"], floor_warm)
        twin = browser.get("twin " + name)
        over_twin = _ratio(b["warm_median_s"], twin["warm_median_s"]) if twin else None
        filtered = browser.get("filtered twin " + name)
        content = browser.get("content twin " + name)
        for kind, other in (("bare twin", twin), ("content twin", content)):  # each must draw what the page drew
            if other and (other["charts"] != s["charts"] or other["exception_box"]):
                problem = (
                    "an exception" if other["exception_box"] else f"{other['charts']} charts, the page {s['charts']}"
                )
                b = b | {"error": b.get("error") or f"the {kind} drew {problem}"}
        floor = _ratio(content["warm_median_s"], twin["warm_median_s"]) if content and twin else None
        errors = s["errors"] + ([b["error"]] if b.get("error") else [])
        errors += sorted({v.get("error") for v in b["visits"] if v.get("error")})
        rows.append(
            {
                "page": name,
                "server_cold_median_s": s["cold_median_s"],
                "server_warm_median_s": s["warm_median_s"],
                "browser_cold_s": b["cold_s"],
                "browser_warm_median_s": b["warm_median_s"],
                "browser_warm_over_floor": ratio,
                "bare_twin_cold_s": twin["cold_s"] if twin else None,
                "bare_twin_warm_median_s": twin["warm_median_s"] if twin else None,
                "browser_warm_over_bare": over_twin,
                "paired_warm_over_bare_median": b.get("paired_warm_over_twin_median"),
                "charts_twin": twin["charts"] if twin else None,
                "filtered_twin_warm_median_s": filtered["warm_median_s"] if filtered else None,
                "filtered_twin_over_bare": _ratio(filtered["warm_median_s"], twin["warm_median_s"])
                if filtered
                else None,
                "browser_warm_over_filtered_twin": _ratio(b["warm_median_s"], filtered["warm_median_s"])
                if filtered
                else None,
                "content_twin_warm_median_s": content["warm_median_s"] if content else None,
                "content_twin_over_bare": floor,
                "paired_content_twin_over_bare_median": content.get("paired_warm_over_twin_median")
                if content
                else None,
                "browser_warm_over_content_twin": _ratio(b["warm_median_s"], content["warm_median_s"])
                if content
                else None,
                "paired_warm_over_content_twin_median": b.get("paired_warm_over_content_twin_median"),
                "elements": b.get("elements"),
                "elements_content_twin": content.get("elements") if content else None,
                "elements_twin": twin.get("elements") if twin else None,
                "charts_server": s["charts"],
                "charts_browser": b["charts"],
                "exception_box": b["exception_box"],
                "other_cpu_s": {"server_side": s["other_cpu_s"], "browser": b["other_cpu_s"]},
                "window_wall_s": {"server_side": s["window_wall_s"], "browser": b["window_wall_s"]},
                "errors": errors,
                "targets": {
                    "browser_warm_within_2x_floor": None if ratio is None else ratio <= TARGET_WARM_OVER_FLOOR,
                    "browser_warm_within_1_25x_bare_twin": None
                    if over_twin is None
                    else over_twin <= TARGET_WARM_OVER_TWIN,
                    # the floor: can the page's content, drawn by bare Streamlit, meet that target at all?
                    "content_twin_within_1_25x_bare_twin": None if floor is None else floor <= TARGET_WARM_OVER_TWIN,
                    "server_cold_under_1s": None
                    if s["cold_median_s"] is None
                    else s["cold_median_s"] < TARGET_COLD_SERVER_S,
                },
            }
        )
    return rows


def run(args: argparse.Namespace, workdir: Path) -> dict:
    print(f"database: {args.cities} cities, {args.rows:,} rows -> {workdir}", flush=True)
    db, data = build_database(args, workdir)
    load = data["load"]
    print(f"  etl load {load['wall_s']} s, {load['peak_rss_mib']} MiB, exit {load['returncode']}", flush=True)
    if load["returncode"] != 0:
        raise SystemExit(f"etl load failed:\n{load['stdout']}\n{load['stderr_tail']}")
    os.environ["ENGAGEMENT_DB"] = str(db)
    pages = [p for p in registered_pages() if not args.pages or p.label in args.pages]
    server, warmup = measure_server(pages, args.repeats)
    targets = [("floor", FLOOR_APP, "/", server["floor"]["charts"] or 0), ("bare", BARE_APP, "/", 3)]
    targets += [(p.label, TWINS_APP, p.label, server[p.label]["charts"] or 0) for p in pages]
    browser, chromium = browser_side(db, targets, args.visits, workdir / "streamlit.log")
    versions = {"streamlit": _version("streamlit"), "plotly": _version("plotly"), "chromium": chromium}
    result = provenance("pages", project_version(), **versions) | {
        # Streamlit options set through the environment (STREAMLIT_...) apply to every server here
        "streamlit_env": {k: v for k, v in os.environ.items() if k.startswith("STREAMLIT_")},
        "rows": args.rows,
        "cities": args.cities,
        "seed": args.seed,
        "repeats": args.repeats,
        "warm_visits": args.visits,
        "data": data,
        "pages": [p.__dict__ for p in pages],
        "server_side": {"warmup": warmup, "results": server},
        "browser": browser,
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    result["summary"] = summarise(pages, server, browser)
    result["checks_ok"] = checks_ok(result)
    return result


def checks_ok(result: dict) -> dict:
    """Did the data load and did every page run without an error (not how fast)?"""
    data, rows = result["data"], result["summary"]
    return {
        "load_exit_0_and_n_activities": data["load"]["returncode"] == 0 and data.get("activities") == result["rows"],
        "every_city_has_activities": data.get("cities_with_activities") == result["cities"],
        "no_page_error": all(not r["errors"] and not r["exception_box"] for r in rows),
    }


# --- report -----------------------------------------------------------------------------


def _cell(value: object, width: int, digits: int = 2) -> str:
    text = "—" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    return f"{text:>{width}}"


def print_table(result: dict) -> None:
    data = result["data"]
    print(
        f"\n{result['rows']:,} rows, {result['cities']} cities ({data['bench_cities']} synthetic), "
        f"CSV {data['csv_size_mb']} MB; etl load {data['load']['wall_s']} s"
        + (" (database reused from an earlier run: --reuse-db)" if data.get("reused") else "")
    )
    print("seconds; server = AppTest run in process (median), browser = goto until charts drawn (warm: median)")
    header = (
        f"{'page':<10} {'charts':>6} {'srv cold':>9} {'srv warm':>9} {'brw cold':>9} {'brw warm':>9} {'warm/floor':>10}"
        f" {'twin warm':>9} {'/twin':>6} {'paired':>6} {'+filters':>8} {'/+filt':>6} {'content':>8} {'/cont':>6}"
        f" {'paired':>6} {'cont/twin':>9} {'elements':>12}"
    )
    print(header + f" {'other s':>11}  errors")
    for r in result["summary"]:
        cells = [
            _cell(r["charts_browser"], 6),
            _cell(r["server_cold_median_s"], 9, 3),
            _cell(r["server_warm_median_s"], 9, 3),
            _cell(r["browser_cold_s"], 9, 3),
            _cell(r["browser_warm_median_s"], 9, 3),
            _cell(r["browser_warm_over_floor"], 10),
            _cell(r["bare_twin_warm_median_s"], 9, 3),
            _cell(r["browser_warm_over_bare"], 6),
            _cell(r["paired_warm_over_bare_median"], 6),
            _cell(r["filtered_twin_warm_median_s"], 8, 3),
            _cell(r["browser_warm_over_filtered_twin"], 6),
            _cell(r["content_twin_warm_median_s"], 8, 3),
            _cell(r["browser_warm_over_content_twin"], 6),
            _cell(r["paired_warm_over_content_twin_median"], 6),
            _cell(r["content_twin_over_bare"], 9),
            _cell(
                "/".join(_cell(r[k], 0, 0).strip() for k in ("elements", "elements_twin", "elements_content_twin")), 12
            ),
            f"{r['other_cpu_s']['server_side']:>5}/{r['other_cpu_s']['browser']:<5}",
        ]
        problems = "; ".join(r["errors"])[:120] or ("exception box" if r["exception_box"] else "")
        print(f"{r['page']:<10} " + " ".join(cells) + f"  {problems}")
    print("other s: CPU seconds other processes used while the page was measured (server side / browser)")
    print("twin: the page's own charts alone (bench/bare_pages.py), visited in turn with the page; paired: median of")
    print(
        "      the per-visit ratios page/twin; +filters: the twin with the frame's sidebar filters (BARE_TWIN_FILTERS=1)"
    )
    print("content: the content twin, the elements the page sent to the browser (recorded) sent again by a script that")
    print("      does nothing else (bench/replay_pages.py); cont/twin: that floor over the bare twin")
    print(
        "elements: Streamlit elements and blocks drawn (data-testid): the page's / its bare twin's / its content twin's"
    )
    print(
        f"targets: browser warm <= {TARGET_WARM_OVER_FLOOR}x floor and <= {TARGET_WARM_OVER_TWIN}x its bare twin,"
        f" server cold < {TARGET_COLD_SERVER_S} s"
    )
    for r in result["summary"][len(REFERENCES) :]:
        print(f"  {r['page']:<10} {r['targets']}")
    print(f"checks: {result['checks_ok']}")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--cities", type=int, default=112, help="the 112 reference cities, plus synthetic ones above 112")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "pages.json")
    p.add_argument("--seed", type=int, default=20261125)
    p.add_argument("--repeats", type=int, default=3, help="server-side cold/warm pairs per page")
    p.add_argument("--visits", type=int, default=3, help="warm browser visits per page, after the cold one")
    p.add_argument("--workdir", type=Path, help="keep the CSV, database and server log here (default: a temp dir)")
    p.add_argument(
        "--reuse-db",
        action="store_true",
        help="with --workdir: reuse the database an earlier run built there, if it has --rows rows and --cities cities",
    )
    p.add_argument("--pages", nargs="+", metavar="PATH", help="measure only these pages, e.g. / /ville (and the floor)")
    return p


def main() -> int:
    return run_and_report(_parser().parse_args(), run, print_table, "bench_pages_")


if __name__ == "__main__":
    raise SystemExit(main())
