"""Benchmark: many simultaneous browser sessions on one dashboard server.

One run (see bench/README.md, section "Simultaneous sessions"):

1. a database: `--db PATH` (an existing one, e.g. kept by `bench/pages.py --workdir`), or one
   built like bench/pages.py builds it (`--rows` records over `--cities` cities, loaded by
   `python -m etl load`);
2. one `streamlit run dashboard.py` server on loopback; one warm-up visit of each page;
3. `--sessions` Playwright browser contexts (one Chromium) at the same time, for `--duration`
   seconds each: a first navigation, then, at random (seeded per session), a click on another
   page in the sidebar, a click on another option of a page's segmented control, or a change
   of the country filter (add one, or remove the last);
4. for every action, the time-to-chart: from the click (or `goto`) until a script run has
   started and ended and every plotly chart of the page has its SVG frame; errors: exception
   boxes, error boxes, browser console errors and page errors, actions that did not finish;
5. the server's memory: resident set sampled every 0.5 s, and its peak (VmHWM); and the
   server's own time per script run, from the lines ui/runlog.py writes in its log (the
   browsers share the machine's cores, so time-to-chart also measures them);
6. writes everything to a JSON file and prints markdown tables (p50/p95/max by action kind).

Usage: .venv/bin/python bench/sessions.py [--sessions 20] [--duration 60] [--rows 1000000 | --db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from etl_load import ROOT, provenance, run_and_report  # the sibling benchmarks' helpers
from pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DASHBOARD,
    VIEWPORT,
    _version,
    build_database,
    cpu_window,
    project_version,
    streamlit_server,
)

ACTION_TIMEOUT_S = 120.0
SAMPLE_EVERY_S = 0.5
SKIPPED_PATHS = ("connexion", "presenter")  # sign-in form and slide show: not dashboards to browse
FILTER_KEY = "flt_country"
# Entries of Streamlit's drop-down that are not a country: "Select all" (chooses all 30 at once:
# the chips then overflow their box and a click on the last one's remove button opens the list
# instead), and what it shows when nothing is left. The first full runs picked them at random and
# counted the clicks that followed, which changed nothing, as unfinished actions.
NO_OPTION = ("Select all", "No results", "Aucun résultat")

# Installed once per document: a flag set when a script run starts after arm() reset it (a
# MutationObserver sees every change, even a run shorter than a poll), and the URL at arm() time:
# every action here changes the URL (page path, or a parameter the run writes), in case React
# batched the "running" state away.
ARM_JS = """() => {
  window.__benchRan = false;
  window.__benchHref = location.href;
  if (!window.__benchObserver) {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__benchObserver = new MutationObserver(() => {
      if (app.getAttribute('data-test-script-state') === 'running') window.__benchRan = true;
    });
    window.__benchObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
}"""
# Done = (for an in-app action: a run has happened since arm() and) the run is over, no element is
# still a skeleton (Streamlit loads the plotly component lazily: a chart is a skeleton until then,
# after the run has ended), and every plotly chart has its SVG frame. An exception box also ends it.
DONE_JS = """armed => {
  if (armed && !window.__benchRan && location.href === window.__benchHref) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"]')) return true;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const boxes = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
  return boxes.every(b => b.querySelector('.js-plotly-plot .main-svg') !== null);
}"""
STATE_JS = """() => ({
  path: location.pathname,
  charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
  exceptions: Array.from(document.querySelectorAll('[data-testid="stException"]')).map(e => e.innerText.slice(0, 200)),
  errors: Array.from(document.querySelectorAll('[data-testid="stAlertContentError"]')).map(e => e.innerText.slice(0, 200)),
})"""
# The page's own segmented controls (grain, measure, lens, per capita), not the sidebar's language.
SEGMENTS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] [class*="st-key-"]'))
  .filter(e => e.querySelector('button[aria-checked]'))
  .map(e => Array.from(e.classList).find(c => c.startsWith('st-key-')))"""


# --- server process: pid and memory -----------------------------------------------------


def server_pid(port: int) -> int:
    """The pid of this process's child `streamlit run ... --server.port PORT`."""
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = stat.read_text().rpartition(")")[2].split()[1]
            cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:  # ended meanwhile
            continue
        if ppid == me and b"streamlit" in b" ".join(cmdline) and str(port).encode() in cmdline:
            return int(stat.parent.name)
    raise RuntimeError(f"no streamlit child process on port {port}")


def memory_mib(pid: int) -> dict[str, float]:
    """Current and peak resident set of a process (VmRSS, VmHWM), in MiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {key: round(int(fields[key].split()[0]) / 1024, 1) for key in ("VmRSS", "VmHWM")}


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemorySampler(threading.Thread):
    """Samples a process's resident set every SAMPLE_EVERY_S seconds until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self._halt = pid, [], threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        while not self._halt.wait(SAMPLE_EVERY_S):
            try:
                self.samples.append((round(time.perf_counter() - start, 1), memory_mib(self.pid)["VmRSS"]))
            except OSError:  # the server ended
                return

    def stop(self) -> list[tuple[float, float]]:
        self._halt.set()
        self.join()
        return self.samples


# --- one session -------------------------------------------------------------------------


async def timed(page, action, armed: bool) -> tuple[float | None, str | None]:
    """Seconds from the action until the run is over and the charts are drawn (or the error)."""
    from playwright.async_api import Error as PlaywrightError

    start = time.perf_counter()
    try:
        await action()
        await page.wait_for_function(DONE_JS, arg=armed, timeout=ACTION_TIMEOUT_S * 1000, polling="raf")
    except PlaywrightError as exc:  # a timeout, or the page went away
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return time.perf_counter() - start, None


async def go_to_page(page, url: str, paths: list[str], rng: random.Random) -> tuple[str, object]:
    """Click another page of the sidebar navigation."""
    here = (await page.evaluate("location.pathname")).strip("/")
    target = rng.choice([p for p in paths if p != here] or paths)
    link = page.locator(f'[data-testid="stSidebarNav"] a[href="{url}/{target}"]')
    return f"page:/{target}", lambda: link.click(timeout=ACTION_TIMEOUT_S * 1000)


async def switch_segment(page, rng: random.Random) -> tuple[str, object] | None:
    """Click an unselected option of one of the page's segmented controls (grain, measure, lens…)."""
    keys = await page.evaluate(SEGMENTS_JS)
    if not keys:
        return None
    key = rng.choice(keys)
    options = page.locator(f'.{key} button[aria-checked="false"]')
    count = await options.count()
    if count == 0:
        return None
    choice = options.nth(rng.randrange(count))
    return f"segment:{key.removeprefix('st-key-')}", lambda: choice.click(timeout=ACTION_TIMEOUT_S * 1000)


async def change_filter(page, rng: random.Random) -> tuple[str, object]:
    """Add a country to the sidebar filter, or remove the last one (every change reruns)."""
    widget = f".st-key-{FILTER_KEY}"
    tags = page.locator(f"{widget} [data-tag] button")  # each chosen value has a remove button
    if await tags.count() and rng.random() < 0.6:
        return "filter:remove-country", lambda: tags.last.click(timeout=ACTION_TIMEOUT_S * 1000)

    async def add():
        await page.locator(f"{widget} input[role='combobox']").click(timeout=ACTION_TIMEOUT_S * 1000)
        options = page.locator("[role='listbox'] [role='option']")
        await options.first.wait_for(timeout=ACTION_TIMEOUT_S * 1000)
        texts = await options.all_inner_texts()
        choices = [i for i, label in enumerate(texts) if label.strip() not in NO_OPTION]
        if not choices:  # every country is chosen already: remove one instead
            await page.keyboard.press("Escape")
            await page.locator("[role='listbox']").wait_for(state="hidden", timeout=ACTION_TIMEOUT_S * 1000)
            await tags.last.click(timeout=ACTION_TIMEOUT_S * 1000)
            return
        await options.nth(rng.choice(choices)).click(timeout=ACTION_TIMEOUT_S * 1000)
        await page.keyboard.press("Escape")

    return "filter:add-country", add


async def session(browser, number: int, url: str, paths: list[str], duration: float, seed: int) -> dict:
    """One browser context: a first visit, then random actions until `duration` has passed."""
    from playwright.async_api import Error as PlaywrightError

    rng = random.Random(seed * 1000 + number)
    context = await browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = await context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(f"{m.text[:200]} @ {m.location.get('url', '')}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: console.append(f"pageerror: {str(e)[:300]}"))
    actions: list[dict] = []
    first = "/" + rng.choice(paths)

    async def record(kind: str, action, armed: bool) -> None:
        before = len(console)
        seconds, error = await timed(page, action, armed)
        try:
            state = await page.evaluate(STATE_JS)
        except PlaywrightError:  # the page is gone: the error above says why
            state = {}
        actions.append(
            {
                "kind": kind,
                "path": state.get("path"),
                "s": None if seconds is None else round(seconds, 3),
                "charts": state.get("charts"),
                "exceptions": state.get("exceptions", []),
                "error_boxes": state.get("errors", []),
                "console_errors": console[before:],
                "error": error,
            }
        )

    deadline = time.perf_counter() + duration
    try:
        await record(f"goto:{first}", lambda: page.goto(url + first, timeout=ACTION_TIMEOUT_S * 1000), False)
        while time.perf_counter() < deadline:
            roll = rng.random()
            step = None
            if roll < 0.35:
                step = await switch_segment(page, rng)
            elif roll < 0.65:
                step = await change_filter(page, rng)
            if step is None:
                step = await go_to_page(page, url, paths, rng)
            await page.evaluate(ARM_JS)
            await record(*step, True)
    finally:
        await context.close()
    return {"session": number, "actions": actions, "console_errors_total": len(console)}


async def all_sessions(url: str, paths: list[str], args: argparse.Namespace) -> tuple[list[dict], str]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            runs = [session(browser, n, url, paths, args.duration, args.seed) for n in range(args.sessions)]
            results = await asyncio.gather(*runs, return_exceptions=True)
            version = browser.version
        finally:
            await browser.close()
    out = []
    for n, r in enumerate(results):  # a session that crashed is reported, not lost
        out.append(r if isinstance(r, dict) else {"session": n, "actions": [], "crashed": f"{type(r).__name__}: {r}"})
    return out, version


async def warm_up(url: str, paths: list[str]) -> dict[str, float | None]:
    """One visit of each page in one context, so that the measured sessions start warm."""
    from playwright.async_api import async_playwright

    times = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context(viewport=VIEWPORT, locale="fr-FR")).new_page()
            for path in paths:
                seconds, _ = await timed(page, lambda path=path: page.goto(f"{url}/{path}"), False)
                times["/" + path] = None if seconds is None else round(seconds, 3)
        finally:
            await browser.close()
    return times


async def dashboard_paths(url: str) -> list[str]:
    """The pages of the sidebar navigation, as an anonymous visitor sees them."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.goto(url)
            await page.wait_for_function(DONE_JS, arg=False, timeout=ACTION_TIMEOUT_S * 1000)
            hrefs = await page.eval_on_selector_all(
                '[data-testid="stSidebarNav"] a', "links => links.map(a => a.getAttribute('href'))"
            )
        finally:
            await browser.close()
    paths = [h.removeprefix(url).strip("/") for h in hrefs]
    return [p for p in paths if p not in SKIPPED_PATHS]


# --- summary -------------------------------------------------------------------------------

# Console errors that do not come from the app: Streamlit's frontend, opened on a page's URL
# (/ville), first looks for its server under that path (/ville/_stcore/health: 404), then at the
# root; and resources outside the server (the material icon of the favicon, from
# fonts.gstatic.com) that an offline machine cannot resolve.
BASE_PATH_PROBE = re.compile(r"/[^/]+/_stcore/(health|host-config)$")


def environment_error(message: str, url: str) -> bool:
    where = message.rpartition(" @ ")[2]
    return bool(BASE_PATH_PROBE.search(where)) or (where.startswith("http") and not where.startswith(url))


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile (0..1) by linear interpolation; None when there is nothing."""
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1], 3)


RUN_LINE = re.compile(r"page run (\S+) (\d+\.\d+) s")  # written by ui/runlog.py


def server_runs(log: Path, offset: int) -> dict:
    """The server's own time per script run during the sessions (ui/runlog.py's lines
    after `offset`): what the server took, apart from the browsers sharing its machine."""
    with log.open("rb") as f:
        f.seek(offset)
        found = RUN_LINE.findall(f.read().decode("utf-8", "replace"))
    by_page: dict[str, list[float]] = {}
    for path, seconds in found:
        by_page.setdefault(path, []).append(float(seconds))
    every = [t for times in by_page.values() for t in times]

    def stats(times: list[float]) -> dict:
        top = round(max(times), 3) if times else None
        return {"runs": len(times), "p50_s": percentile(times, 0.5), "p95_s": percentile(times, 0.95), "max_s": top}

    return {"all": stats(every)} | {path: stats(times) for path, times in sorted(by_page.items())}


def summarise(sessions: list[dict], url: str) -> dict:
    actions = [a for s in sessions for a in s["actions"]]
    for a in actions:
        a["environment_errors"] = [m for m in a["console_errors"] if environment_error(m, url)]
        a["console_errors"] = [m for m in a["console_errors"] if not environment_error(m, url)]
    groups: dict[str, list[dict]] = {"all": actions}
    for a in actions:
        groups.setdefault(a["kind"].split(":")[0], []).append(a)
    table = {}
    for name, items in groups.items():
        times = [a["s"] for a in items if a["s"] is not None]
        table[name] = {
            "actions": len(items),
            "p50_s": percentile(times, 0.50),
            "p95_s": percentile(times, 0.95),
            "max_s": round(max(times), 3) if times else None,
            "not_finished": sum(a["error"] is not None for a in items),
            "exception_boxes": sum(bool(a["exceptions"]) for a in items),
            "error_boxes": sum(bool(a["error_boxes"]) for a in items),
            "console_errors": sum(len(a["console_errors"]) for a in items),
            "environment_console_errors": sum(len(a["environment_errors"]) for a in items),
        }
    distinct = sorted({m for a in actions for m in a["console_errors"] + a["exceptions"] + a["error_boxes"]})
    failures = sorted({a["error"] for a in actions if a["error"]})
    environment = sorted({m for a in actions for m in a["environment_errors"]})
    return {
        "by_kind": table,
        "distinct_errors": distinct[:20],
        "distinct_failures": failures[:20],
        "distinct_environment_errors": environment[:20],
    }


def run(args: argparse.Namespace, workdir: Path) -> dict:
    if args.db:
        db, data = args.db.resolve(), {"db": str(args.db)}
    else:
        print(f"database: {args.cities} cities, {args.rows:,} rows -> {workdir}", flush=True)
        db, data = build_database(args, workdir)
        if data["load"]["returncode"] != 0:
            raise SystemExit(f"etl load failed:\n{data['load']['stderr_tail']}")
    started = datetime.now().isoformat(timespec="seconds")  # the run's start, not its end
    with streamlit_server(DASHBOARD, db, workdir / "streamlit.log") as (url, startup):
        pid = server_pid(int(url.rsplit(":", 1)[1]))
        paths = asyncio.run(dashboard_paths(url))
        warm = asyncio.run(warm_up(url, paths))
        print(f"  server up in {startup:.1f} s (pid {pid}); pages {paths}; warm-up {warm}", flush=True)
        before, cpu_before = memory_mib(pid), cpu_s(pid)
        log_offset = (workdir / "streamlit.log").stat().st_size  # the runs of the sessions come after
        sampler = MemorySampler(pid)
        sampler.start()
        window: dict = {}
        with cpu_window(window):
            sessions, chromium = asyncio.run(all_sessions(url, paths, args))
        samples = sampler.stop()
        after, server_cpu = memory_mib(pid), round(cpu_s(pid) - cpu_before, 1)
        runs = server_runs(workdir / "streamlit.log", log_offset)
    versions = {"streamlit": _version("streamlit"), "chromium": chromium}
    result = provenance("sessions", project_version(), **versions) | {
        "run_at": started,
        "sessions": args.sessions,
        "duration_s": args.duration,
        "seed": args.seed,
        "rows": None if args.db else args.rows,
        "data": data,
        "pages": paths,
        "server_start_s": round(startup, 2),
        "warm_up_s": warm,
        "window": window,
        "server": {
            "rss_before_mib": before["VmRSS"],
            "rss_after_mib": after["VmRSS"],
            "rss_max_sampled_mib": max((m for _, m in samples), default=None),
            "rss_peak_mib": after["VmHWM"],  # the peak over the server's whole life, warm-up included
            "cpu_s": server_cpu,
            "rss_samples": samples,
            "runs": runs,
        },
        "raw_sessions": sessions,
    }
    result["summary"] = summarise(sessions, url)
    result["checks_ok"] = checks_ok(result)
    return result


def checks_ok(result: dict) -> dict:
    """The targets of correctness (not of speed): every session ran, no error of any kind."""
    table = result["summary"]["by_kind"]["all"]
    return {
        "every_session_ran": all("crashed" not in s and s["actions"] for s in result["raw_sessions"]),
        "every_action_finished": table["not_finished"] == 0,
        "no_exception_or_error_box": table["exception_boxes"] == 0 and table["error_boxes"] == 0,
        "no_console_error": table["console_errors"] == 0,
    }


def _cell(value: object) -> str:
    return "—" if value is None else f"{value:,.3f}" if isinstance(value, float) else f"{value:,}"


def print_table(result: dict) -> None:
    server, window = result["server"], result["window"]
    rows = f"{result['rows']:,} records" if result["rows"] else result["data"]["db"]
    print(f"\n{result['sessions']} sessions × {result['duration_s']} s on {rows}; pages {', '.join(result['pages'])}")
    head = "actions | count | p50 s | p95 s | max s | not finished | exception boxes | error boxes | console errors"
    print(f"\n| {head} | console errors (environment) |")
    print("|---|" + "---:|" * 9)
    for kind, r in result["summary"]["by_kind"].items():
        cells = [r["actions"], r["p50_s"], r["p95_s"], r["max_s"], r["not_finished"]]
        cells += [r["exception_boxes"], r["error_boxes"], r["console_errors"], r["environment_console_errors"]]
        print(f"| {kind} | " + " | ".join(_cell(c) for c in cells) + " |")
    print("\n| server RSS before | max sampled | peak (VmHWM) | after | server CPU s | window s | other CPU s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    cells = [server["rss_before_mib"], server["rss_max_sampled_mib"], server["rss_peak_mib"], server["rss_after_mib"]]
    cells += [server["cpu_s"], window["window_wall_s"], window["other_cpu_s"]]
    print("| " + " | ".join(_cell(c) for c in cells) + " |")
    print("\nserver's own time per script run (ui/runlog.py), during the sessions:")
    print("\n| page | runs | p50 s | p95 s | max s |\n|---|---:|---:|---:|---:|")
    for page, r in server["runs"].items():
        print(f"| {page} | " + " | ".join(_cell(r[k]) for k in ("runs", "p50_s", "p95_s", "max_s")) + " |")
    for message in result["summary"]["distinct_errors"] + result["summary"]["distinct_failures"]:
        print(f"  ! {message}")
    for message in result["summary"]["distinct_environment_errors"]:
        print(f"  (environment) {message}")
    print(f"checks: {result['checks_ok']}")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--duration", type=float, default=60.0, help="seconds each session keeps acting")
    p.add_argument("--db", type=Path, help="an existing database (otherwise one is built with --rows/--cities)")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--cities", type=int, default=112, help="the 112 reference cities, plus synthetic ones above 112")
    p.add_argument("--seed", type=int, default=20261125)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "sessions.json")
    p.add_argument("--workdir", type=Path, help="keep the database and server log here (default: a temp dir)")
    p.add_argument("--reuse-db", action="store_true", help="reuse the database an earlier run left in --workdir")
    return p


def main() -> int:
    return run_and_report(_parser().parse_args(), run, print_table, "bench_sessions_")


if __name__ == "__main__":
    raise SystemExit(main())
