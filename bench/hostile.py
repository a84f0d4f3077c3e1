"""Benchmark: what a hostile or careless file costs (issue 15: "a bad file costs what it weighs").

One run does everything (see bench/README.md, section "Hostile files"):

1. builds the files: the four of the issue's table (an XLSX whose sheet inflates to
   ~1.4 GB, a header then 19 million blank lines, a header then 4.5 million broken rows,
   10,000 columns with a 100,000-character header in UTF-16) and more: 200 sheets, a
   sheet with a DTD expanding entities, a deeply nested sheet, a ZIP whose headers lie
   about the sizes, a value at XFD1048576, a 19 MB single-line CSV, a header then
   2,000,000 blank lines, then 300,000 broken rows (the issue's smaller cuts); and good
   contract files of about the same sizes (CSV ~19 MB, XLSX ~5 MB), for the time targets;
2. runs `python -m etl --lang en validate --json FILE` and `python -m etl load FILE --db NEW`
   on each, under `/usr/bin/time -v`: wall time, peak RSS, exit code, the problem code,
   and that the load wrote nothing (no load, no record);
3. with `--browser`, starts the dashboard (demo mode, a copy of a demo database) and uploads
   the worst files through Chromium (Playwright), sampling the server's RSS and timing
   `GET /_stcore/health` and a second session's page while the file is read;
4. writes everything to bench/results/hostile.json and prints a table.

Targets (issue 15): every hostile file rejected with its message and nothing written;
peak RSS <= 1 GiB per command; time <= 3x validating a good contract file of the same
size; server RSS growth during a hostile upload <= 500 MB.

Usage: .venv/bin/python bench/hostile.py [--browser] [--only NAME ...] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
GNU_TIME = Path("/usr/bin/time")
PEAK_TARGET_MIB = 1024
TIME_RATIO_TARGET = 3.0
SERVER_GROWTH_TARGET_MB = 500
GRENOBLE = "200040715"

HEADER = (
    "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues"
)
ROW = "A-{i};Lyon;Atelier {i};2024-03-14;atelier;concertation;2;40;3"

# --- XLSX by hand (exact control of the parts) --------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
)
SHEET_REL = (
    '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet{n}.xml"/>'
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def cells_row(values: list[str], row: int | None = None) -> str:
    """A row of inline strings (no `r`: positions by order, as the format allows)."""
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f'<row r="{row}">{cells}</row>' if row else f"<row>{cells}</row>"


def write_xlsx(path: Path, sheets: list[tuple[str, object]], level: int = 9) -> Path:
    """An XLSX of sheets (name, XML text or an iterable of XML pieces), deflated."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        types = "".join(SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
        book.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets=types))
        book.writestr("_rels/.rels", ROOT_RELS)
        entries = "".join(
            f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, (name, _) in enumerate(sheets, 1)
        )
        book.writestr("xl/workbook.xml", WORKBOOK.format(sheets=entries))
        rels = "".join(SHEET_REL.format(n=n) for n in range(1, len(sheets) + 1))
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(rels=rels))
        for n, (_, xml) in enumerate(sheets, 1):
            with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                for piece in [xml] if isinstance(xml, str) else xml:
                    part.write(piece.encode("utf-8"))
    return path


def xlsx_inflating(path: Path, mb: int = 1400) -> Path:
    """One sheet of identical rows inflating to `mb` MB (no header the schema knows)."""
    row = cells_row(["lorem ipsum dolor", "sit amet", "consectetur"] * 4)
    block = row * 1000

    def pieces():
        yield SHEET_HEAD.format(doctype="")
        for _ in range(mb * 1_000_000 // len(block)):
            yield block
        yield SHEET_TAIL

    return write_xlsx(path, [("Feuil1", pieces())])


def xlsx_good_header_then_inflating(path: Path, mb: int = 300) -> Path:
    """A valid header, then identical valid rows: the size limits, not the header, stop it."""
    header = cells_row(HEADER.split(";"))
    row = cells_row(ROW.format(i=1).split(";"))
    block = row * 1000

    def pieces():
        yield SHEET_HEAD.format(doctype="") + header
        for _ in range(mb * 1_000_000 // len(block)):
            yield block
        yield SHEET_TAIL

    return write_xlsx(path, [("Feuil1", pieces())])


def xlsx_lying(path: Path, mb: int = 200) -> Path:
    """A ZIP whose headers say the sheet is 2 KB when it inflates to `mb` MB."""
    xlsx_good_header_then_inflating(path, mb)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as book:
        info = book.getinfo(name.decode())
    fake = 2048
    # local header: uncompressed size at +22 (0xFFFFFFFF when the zip64 extra holds it)
    local = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[local + 26 : local + 30])
    data[local + 22 : local + 26] = struct.pack("<I", fake)
    extra_at = local + 30 + name_len
    _patch_zip64(data, extra_at, extra_len, fake)
    # central directory entry
    central = _central_entry(data, name)
    name_len, extra_len = struct.unpack("<HH", data[central + 28 : central + 32])
    data[central + 24 : central + 28] = struct.pack("<I", fake)
    _patch_zip64(data, central + 46 + name_len, extra_len, fake)
    path.write_bytes(bytes(data))
    return path


def _central_entry(data: bytearray, name: bytes) -> int:
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + name_len] == name:
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise ValueError("no central entry")


def _patch_zip64(data: bytearray, at: int, length: int, size: int) -> None:
    """Put `size` in the zip64 extra field's uncompressed size, if there is one."""
    end = at + length
    while at + 4 <= end:
        tag, n = struct.unpack("<HH", data[at : at + 4])
        if tag == 0x0001 and n >= 8:
            data[at + 4 : at + 12] = struct.pack("<Q", size)
        at += 4 + n


def xlsx_entities(path: Path) -> Path:
    """A sheet with a DTD whose entities expand a billion times (the "billion laughs")."""
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE worksheet [{lol}]>"
    xml = SHEET_HEAD.format(doctype=doctype) + cells_row(HEADER.split(";")) + cells_row(["&lol9;"] * 9) + SHEET_TAIL
    return write_xlsx(path, [("Feuil1", xml)])


def xlsx_nested(path: Path, depth: int = 1_000_000) -> Path:
    """A valid header, then a cell whose content nests `depth` unknown elements."""
    xml = (
        SHEET_HEAD.format(doctype="")
        + cells_row(HEADER.split(";"))
        + '<row><c t="inlineStr"><is><t>x</t></is>'
        + "<x>" * depth
        + "</x>" * depth
        + "</c></row>"
        + SHEET_TAIL
    )
    return write_xlsx(path, [("Feuil1", xml)])


def xlsx_sparse(path: Path) -> Path:
    """A valid header and one value at XFD1048576: a dense grid of 17 billion cells."""
    xml = (
        SHEET_HEAD.format(doctype="")
        + cells_row(HEADER.split(";"), 1).replace("<c t=", '<c r="A1" t=', 1)
        + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        + SHEET_TAIL
    )
    return write_xlsx(path, [("Feuil1", xml)])


def xlsx_many_sheets(path: Path, sheets: int = 200, rows: int = 200) -> Path:
    """`sheets` sheets of `rows` rows each, none with a header the schema knows."""
    body = "".join(cells_row([f"note {i}", "texte", "autre"]) for i in range(rows))
    xml = SHEET_HEAD.format(doctype="") + body + SHEET_TAIL
    return write_xlsx(path, [(f"Feuille {n}", xml) for n in range(1, sheets + 1)])


# --- CSV --------------------------------------------------------------------------


def csv_blank_lines(path: Path, lines: int) -> Path:
    with path.open("wb") as out:
        out.write((HEADER + "\n").encode())
        chunk = b"\n" * 1_000_000
        for _ in range(lines // len(chunk)):
            out.write(chunk)
        out.write(b"\n" * (lines % len(chunk)))
    return path


def csv_broken_rows(path: Path, rows: int) -> Path:
    with path.open("wb") as out:
        out.write((HEADER + "\n").encode())
        chunk = b"a;b\n" * 100_000
        for _ in range(rows // 100_000):
            out.write(chunk)
        out.write(b"a;b\n" * (rows % 100_000))
    return path


def csv_wide_utf16(path: Path, columns: int = 10_000, header_chars: int = 100_000) -> Path:
    cells = [f"colonne {i}" for i in range(columns)]
    cells[0] = "x" * header_chars
    text = ";".join(HEADER.split(";") + cells) + "\n" + ";".join(ROW.format(i=1).split(";") + [""] * columns) + "\n"
    path.write_bytes(text.encode("utf-16"))
    return path


def csv_one_line(path: Path, mb: int = 19) -> Path:
    piece = HEADER.replace(";", ",") + ","
    path.write_bytes((piece * (mb * 1_000_000 // len(piece))).encode())
    return path


def good_frame(rows: int):
    import pandas as pd

    sys.path.insert(0, str(ROOT))
    from etl.demo import generate

    cities = pd.read_csv(ROOT / "data" / "cities.csv", dtype={"code": str})
    members = cities[cities["mission"]].sort_values("code", ignore_index=True)
    return generate(members, rows=rows, seed=20221, today=date(2026, 11, 25))


def good_csv(path: Path, rows: int) -> Path:
    from etl.schema import load_schema

    schema = load_schema()
    table = good_frame(rows)[schema.names].copy()
    table.columns = [f.title("fr") for f in schema.fields]
    table.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8", date_format="%d/%m/%Y")
    return path


def good_xlsx(path: Path, rows: int) -> Path:
    from etl.schema import load_schema

    schema = load_schema()
    table = good_frame(rows)[schema.names].copy()
    table.columns = [f.title("fr") for f in schema.fields]
    table.to_excel(path, index=False, engine="xlsxwriter")
    return path


# name -> (builder, the good file it is compared with, what it is)
FILES = {
    "xlsx_inflating_1400mb": (lambda p: xlsx_inflating(p, 1400), "good_xlsx", "issue: sheet inflating to ~1.4 GB"),
    "csv_19m_blank_lines": (lambda p: csv_blank_lines(p, 19_000_000), "good_csv", "issue: header + 19 M blank lines"),
    "csv_4_5m_broken_rows": (lambda p: csv_broken_rows(p, 4_500_000), "good_csv", "issue: header + 4.5 M broken rows"),
    "csv_10000_columns_utf16": (csv_wide_utf16, "good_csv_small", "issue: 10,000 columns, 100,000-char header"),
    "csv_2m_blank_lines": (
        lambda p: csv_blank_lines(p, 2_000_000),
        "good_csv_small",
        "issue: header + 2 M blank lines",
    ),
    "csv_300k_broken_rows": (lambda p: csv_broken_rows(p, 300_000), "good_csv_small", "issue: header + 300,000 broken"),
    "csv_19mb_one_line": (csv_one_line, "good_csv", "a 19 MB single-line CSV"),
    "xlsx_200_sheets": (xlsx_many_sheets, "good_xlsx_small", "200 sheets, no header"),
    "xlsx_entities": (xlsx_entities, "good_xlsx_small", "sheet XML with a DTD (billion laughs)"),
    "xlsx_nested": (xlsx_nested, "good_xlsx_small", "sheet XML nested 1,000,000 deep"),
    "xlsx_lying_zip": (xlsx_lying, "good_xlsx_small", "ZIP headers say 2 KB, the sheet inflates to 200 MB"),
    "xlsx_sparse_xfd1048576": (xlsx_sparse, "good_xlsx_small", "a value at XFD1048576"),
    "xlsx_header_then_300mb": (xlsx_good_header_then_inflating, "good_xlsx", "valid header + 300 MB of rows"),
}
GOOD = {
    "good_csv": (lambda p: good_csv(p, 90_000), "contract CSV, ~19 MB"),
    "good_csv_small": (lambda p: good_csv(p, 10_000), "contract CSV, ~2 MB"),
    "good_xlsx": (lambda p: good_xlsx(p, 40_000), "contract XLSX, ~5 MB"),
    "good_xlsx_small": (lambda p: good_xlsx(p, 1_000), "contract XLSX, ~0.1 MB"),
}
BROWSER = [
    "xlsx_inflating_1400mb",
    "csv_19m_blank_lines",
    "csv_4_5m_broken_rows",
    "xlsx_lying_zip",
    "xlsx_sparse_xfd1048576",
    "csv_2m_blank_lines",  # read whole: 2,000,000 blank lines is the limit
    "csv_300k_broken_rows",  # read whole: 300,000 problems counted, 1,000 described
]


# --- measuring --------------------------------------------------------------------


def timed(command: list[str], env: dict | None = None) -> dict:
    """Run under GNU time -v: wall s, peak RSS MiB, exit code, stdout, stderr."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(GNU_TIME), "-v", *command], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    wall = time.perf_counter() - start
    own, _, report = done.stderr.rpartition("\tCommand being timed:")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    return {
        "wall_s": round(wall, 2),
        "peak_mib": round(int(match.group(1)) / 1024, 1) if match else None,
        "exit": done.returncode,
        "stdout": done.stdout,
        "stderr": own[-2000:],
    }


def nothing_written(db: Path) -> bool:
    import duckdb

    if not db.exists():
        return True
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT (SELECT count(*) FROM loads) + (SELECT count(*) FROM records)").fetchone()[0] == 0
    finally:
        con.close()


def measure(path: Path, work: Path) -> dict:
    py = str(ROOT / ".venv" / "bin" / "python")
    validate = timed([py, "-m", "etl", "--lang", "en", "validate", "--json", str(path)])
    try:
        listed = json.loads(validate["stdout"])
        codes = [p["code"] for p in listed]
        message = listed[0]["message_en"] if listed else ""
        json_ok = True
    except json.JSONDecodeError:
        codes, message, json_ok = [], validate["stdout"][:300], False
    db = work / f"{path.stem}.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    load = timed([py, "-m", "etl", "--lang", "en", "load", str(path), "--db", str(db)])
    written = not nothing_written(db)
    shutil.rmtree(f"{db}.files", ignore_errors=True)
    return {
        "size_mb": round(path.stat().st_size / 1e6, 2),
        "validate": {k: validate[k] for k in ("wall_s", "peak_mib", "exit")},
        "load": {k: load[k] for k in ("wall_s", "peak_mib", "exit")},
        "codes": sorted(set(codes)),
        "problems_listed": len(codes),
        "json_bytes": len(validate["stdout"]),
        "json_valid": json_ok,
        "message": message[:400],
        "load_output": load["stdout"].splitlines()[:2],
        "written": written,
    }


# --- the browser ------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def browser_uploads(names: list[str], paths: dict[str, Path], work: Path) -> dict:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    db = work / "server.duckdb"
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "etl", "demo", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    port = 8615
    log = (work / "server.log").open("w")
    env = {**os.environ, "ENGAGEMENT_DB": str(db), "ENGAGEMENT_DEMO": "1", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    results = {}
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for name in names:
                results[name] = upload_one(browser, url, server.pid, paths[name])
                print(f"  browser {name}: {results[name]}", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return results


def upload_one(browser, url: str, pid: int, path: Path) -> dict:
    context = browser.new_context(viewport={"width": 1300, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{url}/deposer?demo_role=editor&demo_city={GRENOBLE}&lang=en")
    page.wait_for_selector("[data-testid='stFileUploaderDropzoneInput']", state="attached", timeout=120_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)
    base = rss_mb(pid)
    samples, health, stop = [base], [], threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(rss_mb(pid))
            t0 = time.perf_counter()
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=30)
                health.append(time.perf_counter() - t0)
            except OSError:
                health.append(float("inf"))
            stop.wait(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    other = context.browser.new_context(locale="en-GB").new_page()
    start = time.perf_counter()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(path)
    # Meanwhile another session opens the Overview page.
    t0 = time.perf_counter()
    other.goto(f"{url}/?lang=en")
    other.wait_for_selector("text=Overview", timeout=120_000)
    other_s = time.perf_counter() - t0
    shown = page.wait_for_selector("[data-testid='stAlert'], [data-testid='stMarkdownContainer'] li", timeout=300_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=300_000)
    elapsed = time.perf_counter() - start
    stop.set()
    watcher.join()
    message = page.locator("[data-testid='stMain']").inner_text()
    context.close()
    other.context.close()
    del shown
    finite = [h for h in health if h != float("inf")]
    return {
        "shown_after_s": round(elapsed, 1),
        "server_rss_base_mb": round(base),
        "server_rss_growth_mb": round(max(samples) - base),
        "health_checks": len(health),
        "health_failed": len(health) - len(finite),
        "health_max_s": round(max(finite), 3) if finite else None,
        "other_session_overview_s": round(other_s, 1),
        "message": _limit_sentence(message),
    }


def _limit_sentence(text: str) -> str:
    for line in text.splitlines():
        if any(w in line for w in ("limit", "not read", "spreadsheet does not", "No header", "header")):
            return line.strip()[:300]
    return text.strip()[:300]


# --- main -------------------------------------------------------------------------


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="hostile files to run (default: all)")
    parser.add_argument("--browser", action="store_true", help="also upload the worst files through the dashboard")
    parser.add_argument("--workdir", type=Path, help="keep the files here (default: a temp dir, removed)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "hostile.json")
    args = parser.parse_args()
    names = args.only or list(FILES)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    out: dict = {"load_before": loadavg(), "files": {}, "good": {}, "browser": {}}
    try:
        paths = {}
        for name in names:
            builder, _, _ = FILES[name]
            suffix = ".xlsx" if name.startswith("xlsx") else ".csv"
            paths[name] = work / f"{name}{suffix}"
            if not paths[name].exists():
                t0 = time.perf_counter()
                builder(paths[name])
                print(
                    f"built {name}: {paths[name].stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.0f} s",
                    flush=True,
                )
        goods = sorted({FILES[n][1] for n in names})
        for name in goods:
            builder, what = GOOD[name]
            path = work / f"{name}{'.xlsx' if 'xlsx' in name else '.csv'}"
            if not path.exists():
                builder(path)
            result = measure(path, work)
            result["what"] = what
            out["good"][name] = result
            print(f"{name}: {json.dumps({k: result[k] for k in ('size_mb', 'validate', 'load', 'codes')})}", flush=True)
        for name in names:
            result = measure(paths[name], work)
            good = out["good"][FILES[name][1]]
            slowest = max(result["validate"]["wall_s"], result["load"]["wall_s"])
            result["what"] = FILES[name][2]
            result["compared_with"] = FILES[name][1]
            result["time_ratio"] = round(slowest / good["validate"]["wall_s"], 2)
            result["targets_met"] = {
                "rejected_with_message": result["validate"]["exit"] == 1
                and result["load"]["exit"] == 1
                and bool(result["codes"]),
                "nothing_written": not result["written"],
                "peak_le_1gib": max(result["validate"]["peak_mib"], result["load"]["peak_mib"]) <= PEAK_TARGET_MIB,
                "time_le_3x_good": result["time_ratio"] <= TIME_RATIO_TARGET,
            }
            out["files"][name] = result
            print(
                f"{name}: {json.dumps({k: result[k] for k in ('size_mb', 'validate', 'load', 'codes', 'time_ratio', 'targets_met')})}",
                flush=True,
            )
        if args.browser:
            chosen = [n for n in BROWSER if n in paths]
            out["browser"] = browser_uploads(chosen, paths, work)
            for result in out["browser"].values():
                result["growth_le_500mb"] = result["server_rss_growth_mb"] <= SERVER_GROWTH_TARGET_MB
        out["load_after"] = loadavg()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        print(f"written {args.out}")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    missed = [n for n, r in out["files"].items() if not all(r["targets_met"].values())]
    return int(bool(missed))


if __name__ == "__main__":
    sys.exit(main())
