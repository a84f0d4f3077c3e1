"""A bad file costs what it weighs (issue 15): each hostile shape of bench/hostile.py, in a
small version (the limits lowered through their environment variables where needed), is
refused by `python -m etl load` with exit status 1, its message code, and nothing written;
reports count every problem and describe the first ones only."""

from __future__ import annotations

import json

import duckdb
import pytest

from bench import hostile
from etl.load import check_file
from etl.problems import Problem, select
from tests.conftest import run_cli

HEADER, ROW = hostile.HEADER, hostile.ROW


def csv_file(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def xlsx_rows(path, rows: int):
    body = [hostile.cells_row(HEADER.split(";"))]
    body += [hostile.cells_row(ROW.format(i=i).split(";")) for i in range(rows)]
    return hostile.write_xlsx(
        path, [("Feuil1", hostile.SHEET_HEAD.format(doctype="") + "".join(body) + hostile.SHEET_TAIL)]
    )


# name -> (build(tmp_path) -> file, environment, expected code)
CASES = {
    "xlsx sheet inflating 900 times": (lambda d: hostile.xlsx_inflating(d / "f.xlsx", 3), {}, "xlsx-inflation"),
    "xlsx part above its size limit": (
        lambda d: hostile.xlsx_good_header_then_inflating(d / "f.xlsx", 2),
        {"ENGAGEMENT_MAX_XLSX_PART_MB": "1"},
        "xlsx-too-large",
    ),
    "zip headers lying about sizes": (lambda d: hostile.xlsx_lying(d / "f.xlsx", 2), {}, "xlsx-unsafe"),
    "sheet with entities (DTD)": (lambda d: hostile.xlsx_entities(d / "f.xlsx"), {}, "xlsx-unsafe"),
    "sheet nested 100,000 deep": (lambda d: hostile.xlsx_nested(d / "f.xlsx", 100_000), {}, "binary-file"),
    "a value at XFD1048576": (lambda d: hostile.xlsx_sparse(d / "f.xlsx"), {}, "too-many-cells"),
    "more sheets than searched": (
        lambda d: hostile.xlsx_many_sheets(d / "f.xlsx", sheets=5, rows=3),
        {"ENGAGEMENT_MAX_SHEETS": "3"},
        "too-many-sheets",
    ),
    "xlsx with too many rows": (lambda d: xlsx_rows(d / "f.xlsx", 30), {"ENGAGEMENT_MAX_ROWS": "20"}, "too-many-rows"),
    "header then blank lines": (
        lambda d: hostile.csv_blank_lines(d / "f.csv", 150),
        {"ENGAGEMENT_MAX_ROWS": "100"},
        "too-many-rows",
    ),
    "header then many broken rows": (
        lambda d: hostile.csv_broken_rows(d / "f.csv", 150),
        {"ENGAGEMENT_MAX_ROWS": "100"},
        "too-many-rows",
    ),
    "600 columns, UTF-16": (lambda d: hostile.csv_wide_utf16(d / "f.csv", 600, 1000), {}, "too-many-columns"),
    "a cell too long": (
        lambda d: csv_file(d / "f.csv", f"{HEADER}\n{ROW.format(i=1).replace('Atelier 1', 'x' * 200)}\n"),
        {"ENGAGEMENT_MAX_CELL_CHARS": "100"},
        "cell-too-long",
    ),
    "a multi-line cell too long": (
        lambda d: csv_file(d / "f.csv", f'{HEADER}\n{ROW.format(i=1).replace("Atelier 1", chr(34) + "x" * 90 + chr(10) + "y" * 90 + chr(34))}\n'),
        {"ENGAGEMENT_MAX_CELL_CHARS": "100"},
        "cell-too-long",
    ),
    "one line of 6 KB": (
        lambda d: csv_file(d / "f.csv", "titre,ville," * 500), {"ENGAGEMENT_MAX_LINE_KB": "1"}, "line-too-long"
    ),
}  # fmt: skip


def loads_and_records(db) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT (SELECT count(*) FROM loads) + (SELECT count(*) FROM records)").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_is_refused_with_its_message_and_nothing_is_written(case, tmp_path, monkeypatch):
    build, env, code = CASES[case]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = build(tmp_path)
    db = tmp_path / "db.duckdb"
    result = run_cli("--lang", "en", "load", str(path), "--db", str(db), timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"[{code}]" in result.stdout, result.stdout
    assert "rejected — nothing was written" in result.stdout and "Traceback" not in result.stderr
    assert loads_and_records(db) == 0


def test_limit_messages_name_the_limit_and_the_fix(check_con, tmp_path, monkeypatch):
    monkeypatch.setenv("ENGAGEMENT_MAX_ROWS", "100")
    report, _ = check_file(check_con, hostile.csv_blank_lines(tmp_path / "blank.csv", 150))
    [problem] = report.problems
    assert problem.code == "too-many-rows" and problem.line == 1
    assert "150" in problem.message("en") and "limit of 100 lines" in problem.message("en")
    assert "Supprimez les lignes vides" in problem.message("fr") and "découpez le fichier" in problem.message("fr")
    monkeypatch.delenv("ENGAGEMENT_MAX_ROWS")
    report, _ = check_file(check_con, hostile.xlsx_sparse(tmp_path / "sparse.xlsx"))
    assert "Ctrl+End" in report.problems[0].message("en") and "Ctrl+Fin" in report.problems[0].message("fr")


def test_a_report_counts_every_problem_and_describes_the_first_ones(check_con, tmp_path, monkeypatch):
    monkeypatch.setenv("ENGAGEMENT_MAX_PROBLEMS", "50")
    monkeypatch.setenv("ENGAGEMENT_PROBLEMS_PER_CODE", "5")
    good = [ROW.format(i=i) for i in range(1, 41)]
    bad_dates = [ROW.format(i=i).replace("2024-03-14", "demain") for i in range(41, 101)]
    text = "\n".join([HEADER, *good, *("a;b" for _ in range(200)), *bad_dates]) + "\n"
    path = csv_file(tmp_path / "broken.csv", text)
    report, _ = check_file(check_con, path)
    assert report.counts == {"wrong-field-count": 200, "type-error": 60}
    assert len(report.problems) == 50 and report.error_count == 260
    assert sum(p.code == "type-error" for p in report.problems) == 5  # a few of each code first
    assert report.rejected_rows == 260 and report.rows_read == 300
    assert report.more.code == "more-problems" and "210" in report.more.message("en")

    db = tmp_path / "db.duckdb"
    result = run_cli("validate", "--json", str(path), "--db", str(db))
    assert result.returncode == 1 and not db.exists()
    listed = json.loads(result.stdout)
    assert len(listed) == 51 and listed[-1]["code"] == "more-problems" and listed[-1]["severity"] == "info"
    assert "wrong-field-count: 155" in listed[-1]["message_en"] and "wrong-field-count : 155" in listed[-1]["message"]
    assert "… and 210 more problems" in run_cli("--lang", "en", "validate", str(path)).stdout.replace("260", "")


def test_a_file_of_mostly_broken_lines_is_read_by_the_exact_parser_and_bounded(check_con, tmp_path):
    path = hostile.csv_broken_rows(tmp_path / "broken.csv", 12_000)
    report, _ = check_file(check_con, path)
    assert report.status == "rejected" and report.counts == {"wrong-field-count": 12_000}
    assert len(report.problems) == 1000 and report.rejected_rows == 12_000
    assert [p.line for p in report.problems[:3]] == [2, 3, 4]


def test_blank_lines_are_counted_as_ranges(check_con, tmp_path):
    lines = [HEADER, ROW.format(i=1), *[""] * 5000, ROW.format(i=2), ";;;;;;;;", "", ROW.format(i=3)]
    report, _ = check_file(check_con, csv_file(tmp_path / "blank.csv", "\n".join(lines) + "\n"))
    [blank] = [p for p in report.problems if p.code == "blank-row"]
    assert report.status == "valid" and report.blank == 5002
    assert blank.params["lines"] == "3–5002, 5004–5005" and blank.line == 3


def test_select_keeps_a_few_of_each_code_first_in_file_order():
    problems = [Problem("type-error", line=n) for n in range(2, 102)] + [Problem("missing-value", line=200)]
    chosen = select(problems, kept=10, per_code=3)
    assert [p.line for p in chosen] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 200]
    assert select(problems[:5], kept=10, per_code=3) == problems[:5]


def test_a_platform_export_zip_is_inflated_within_the_limits(check_con, tmp_path):
    import zipfile

    from etl.sources import SourceOptions

    path = tmp_path / "decidim.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("meetings.csv", "w") as member:
        member.write(b"id;title/fr;start_time\n")
        for _ in range(20):
            member.write(b"1;x;2024-01-01\n" * 10_000)
    report, _ = check_file(check_con, path, source=SourceOptions(city="Lyon"))
    assert report.status == "rejected" and [p.code for p in report.problems] == ["xlsx-inflation"]


def test_the_upload_page_refuses_a_file_past_a_limit_with_its_message(monkeypatch, demo_copy, tmp_path):
    from tests.test_upload_page import app, upload

    at = app(monkeypatch, demo_copy, ENGAGEMENT_MAX_ROWS="100")
    upload(at, "blank.csv", hostile.csv_blank_lines(tmp_path / "blank.csv", 150).read_bytes())
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")  # markdown escapes
    assert "Le fichier compte 150 lignes après l'en-tête, au-delà de la limite de 100 lignes" in text
    assert "upload_confirm" not in [b.key for b in at.button] and not at.exception


def test_uploads_beyond_the_reading_slots_wait_then_are_read(monkeypatch, demo_copy):
    import threading

    import ui.upload
    from tests.test_upload_page import TWO_CITIES, app, upload

    at = app(monkeypatch, demo_copy, ENGAGEMENT_CONCURRENT_READS="1")
    slots = ui.upload._reading_slots(1)
    assert slots.acquire(timeout=5)  # another session is reading a file
    threading.Timer(1.0, slots.release).start()
    upload(at, "villes.csv", TWO_CITIES)  # waits for the slot, then reads
    assert [s.value for s in at.success] == ["Aucune erreur : 2 activités prêtes à être chargées."]

    monkeypatch.setattr(ui.upload, "READ_WAIT_S", 0.3)
    assert slots.acquire(timeout=5)
    try:
        at.run()
        assert any("Le serveur lit d'autres fichiers" in w.value for w in at.warning)
        assert not at.success and not at.exception
    finally:
        slots.release()


def test_a_platform_export_csv_past_the_rows_limit_is_refused_before_parsing(check_con, tmp_path, monkeypatch):
    from etl.sources import SourceOptions

    monkeypatch.setenv("ENGAGEMENT_MAX_EXPORT_ROWS", "100")
    rows = "".join(f"{i};Projet {i};Centre;yes;viable;admin\n" for i in range(150))
    path = csv_file(tmp_path / "consul.csv", "id;title;heading;selected;feasibility;administrator\n" + rows)
    report, _ = check_file(check_con, path, source=SourceOptions(city="Lyon"))
    assert report.status == "rejected" and [p.code for p in report.problems] == ["too-many-rows"]
    assert "150" in report.problems[0].message("en") and "100" in report.problems[0].message("en")
