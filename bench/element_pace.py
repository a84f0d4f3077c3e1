"""What one more Streamlit element costs a page's first view: it depends on when the
script sends it, not on how many there are.

A one-page app (`element_pace_app.py`) writes N one-line `st.text` elements, spending
GAP milliseconds of Python work before each. For each (N, GAP) pair a Streamlit server
starts and a Chromium tab visits it (the same servers, browser, flags and finish
condition as bench/pages.py: the script run is over), visits interleaved across pairs;
the first visit is cold, the median of the next `--visits` is reported.

    .venv/bin/python bench/element_pace.py                    # 0:0 40:0 40:5 40:20
    .venv/bin/python bench/element_pace.py --pairs 0:0 80:0 80:10 --visits 9

Results are printed and written to --out (bench/results/element_pace.json).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its siblings, as bench/pages.py reads etl_load

from etl_load import provenance
from pages import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, _median, project_version, streamlit_server, visit

APP = Path(__file__).resolve().parent / "element_pace_app.py"


def measure(pairs: list[tuple[int, int]], visits: int) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p, contextlib.ExitStack() as stack:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        tabs = []
        for n, gap in pairs:
            env = {"PACE_TEXTS": str(n), "PACE_GAP_MS": str(gap)}
            url, _ = stack.enter_context(streamlit_server(APP, Path(tmp) / "none.duckdb", Path(tmp) / "log", env))
            context = browser.new_context(viewport=VIEWPORT)
            stack.callback(context.close)
            tabs.append(((n, gap), context.new_page(), url + "/"))
        seen: dict = {key: [] for key, _, _ in tabs}
        for _ in range(1 + visits):
            for key, tab, url in tabs:
                seen[key].append(visit(tab, url, 0))
    base = _median([v["s"] for v in seen[pairs[0]][1:]])
    rows = []
    for (n, gap), runs in seen.items():
        warm = _median([v["s"] for v in runs[1:]])
        rows.append(
            {
                "texts": n,
                "gap_ms": gap,
                "elements": _median([v["elements"] for v in runs[1:]]),
                "warm_median_s": warm,
                "over_first_s": round(warm - base, 3),
                "per_text_ms": round(1000 * (warm - base) / n, 1) if n else None,
                "errors": sorted({v["error"] for v in runs if v["error"]}),
            }
        )
    return {"rows": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", nargs="+", default=["0:0", "40:0", "40:5", "40:20"], help="TEXTS:GAP_MS")
    parser.add_argument("--visits", type=int, default=6)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "element_pace.json")
    args = parser.parse_args()
    pairs = [tuple(int(x) for x in pair.split(":")) for pair in args.pairs]
    result = provenance("element_pace", project_version()) | {"visits": args.visits} | measure(pairs, args.visits)
    print(f"{'texts':>5} {'gap ms':>6} {'elements':>8} {'warm s':>7} {'+ s':>6} {'ms/text':>7}")
    for r in result["rows"]:
        print(
            f"{r['texts']:>5} {r['gap_ms']:>6} {r['elements']!s:>8} {r['warm_median_s']!s:>7} {r['over_first_s']:>6}"
            f" {r['per_text_ms']!s:>7}  {'; '.join(r['errors'])}"
        )
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results: {args.out}")
    return 0 if not any(r["errors"] for r in result["rows"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
