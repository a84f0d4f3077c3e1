"""Benchmark: how long a slide move takes in presentation mode while the data poll runs.

The presenter's page checks the data version every POLL_SECONDS (ui/presenter/live.py). A move
(the right or left arrow key) must never wait for that check. One run:

1. a demo database (`python -m etl demo`, every mission city) in a temporary directory, or
   `--db PATH`;
2. one `streamlit run dashboard.py` server on loopback;
3. one Chromium at 1280×720 on `/presenter?present=1` with a deck of `--charts`; after a
   random pause (0 to 2 × POLL_SECONDS, so that moves fall at every phase of the poll), the
   arrow key is pressed, and the time is taken until the next slide's title is on screen and
   its chart is drawn at the slide's size; `--moves` times, forwards then backwards;
4. prints the median, 95th percentile and maximum, and writes them (and every move) as JSON.

Usage: .venv/bin/python bench/slide_moves.py [--moves 60] [--db PATH] [--out bench/results/slide_moves.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import CHROMIUM, CHROMIUM_ARGS, DASHBOARD, streamlit_server  # the sibling benchmarks' helpers

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 2
# The slide's chart is drawn at the size its stage gives it (tests/test_browser_present.py).
FITTED = """(title) => {
  const h2 = document.querySelector('.st-key-present_stage h2');
  if (!h2 || h2.textContent === title) return false;
  const plot = document.querySelector('.st-key-present_stage .js-plotly-plot');
  const svg = plot && plot.querySelector('.main-svg');
  if (!svg) return false;
  const room = plot.parentElement.getBoundingClientRect();
  return Math.abs(Number(svg.getAttribute('height')) - room.height) < 2;
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(url: str, moves: int, charts: list[str], seed: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rng = random.Random(seed)
    query = "&".join(f"charts={c}" for c in charts)
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/presenter?present=1&slide=1&{query}")
        page.wait_for_function(FITTED, arg="")
        number, step = 1, 1
        for _ in range(moves):
            if not 1 <= number + step <= len(charts):
                step = -step
            time.sleep(rng.uniform(0, 2 * POLL_SECONDS))  # a bench: moves at every phase of the poll
            title = page.locator(".st-key-present_stage h2").inner_text()
            start = time.perf_counter()
            page.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
            page.wait_for_function(FITTED, arg=title)
            seconds = time.perf_counter() - start
            number += step
            results.append({"to": number, "s": round(seconds, 3)})
        browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--charts", nargs="+", default=["trend", "map", "scatter", "depth"])
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "slide_moves.json")
    args = parser.parse_args()
    os.environ.setdefault("ENGAGEMENT_DEMO", "1")  # open to visitors, as the demo runs (no sign-in)
    with tempfile.TemporaryDirectory() as work:
        db = args.db
        if db is None:
            db = Path(work) / "demo.duckdb"
            subprocess.run([sys.executable, "-m", "etl", "demo", "--db", str(db)], cwd=ROOT, check=True)
        with streamlit_server(DASHBOARD, db, Path(work) / "server.log") as (url, _):
            moves = measure(url, args.moves, args.charts, args.seed)
    seconds = [m["s"] for m in moves]
    summary = {
        "moves": len(seconds),
        "median_s": round(statistics.median(seconds), 3),
        "p95_s": round(percentile(seconds, 0.95), 3),
        "max_s": round(max(seconds), 3),
        "over_1s": sum(s > 1 for s in seconds),
        "charts": args.charts,
        "every_move": moves,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(
        f"{summary['moves']} moves: median {summary['median_s']} s, p95 {summary['p95_s']} s, "
        f"max {summary['max_s']} s, {summary['over_1s']} over 1 s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
