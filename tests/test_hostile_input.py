"""Hostile text (SQL, HTML/JS, spreadsheet formulas, path tricks) is stored as text,
shown escaped and neutralised on download; two city teams loading at once both land."""

from __future__ import annotations

import threading

from etl.access import Principal
from etl.load import load_file
from etl.writers import frame_bytes
from tests.conftest import run_app
from tests.test_load import HEADER, csv_text, rows

LYON, PARIS = "69123", "75056"
HOSTILE = {
    "H-1": "' OR 1=1 --",
    "H-2": "<script>alert('x')</script>",
    "H-3": "<img src=x onerror=alert(1)>",
    "H-4": '=HYPERLINK("http://evil.example";"clic")',
    "H-5": "Robert'); DROP TABLE records;--",
}


def hostile_file(write_csv):
    lines = [f'{key};Lyon;"{title.replace(chr(34), chr(34) * 2)}";2024-03-14;atelier;concertation;2;40;3'
             for key, title in HOSTILE.items()]  # fmt: skip
    return write_csv("evil.csv", "\n".join([HEADER, *lines]) + "\n")


def test_hostile_text_is_stored_as_written(con, db_path, write_csv, tmp_path):
    report = load_file(con, hostile_file(write_csv), name="../../../etc/passwd")
    assert report.status == "loaded", [p.message("en") for p in report.problems]
    stored = dict(con.execute("SELECT id_activite, titre FROM activities").fetchall())
    assert stored == HOSTILE
    assert con.execute("SELECT count(*) FROM records").fetchone()[0] == 5  # nothing dropped
    # The name is text in the history; the archived file is named by its sha256, beside the database.
    assert con.execute("SELECT file_name FROM loads").fetchall() == [("../../../etc/passwd",)]
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent.name.endswith(".files")]
    assert [p.parent for p in files] == [db_path.parent / f"{db_path.name}.files"] and len(files[0].name) == 64


def test_hostile_text_is_shown_as_text_and_neutralised_in_downloads(monkeypatch, con, db_path, write_csv):
    load_file(con, hostile_file(write_csv))
    con.close()
    at = run_app(monkeypatch, db_path, "app_pages/city.py", city=LYON, tab="activities")
    assert not at.exception
    shown = next(frame.value for frame in at.dataframe if "Titre" in frame.value.columns)
    assert set(shown["Titre"]) == set(HOSTILE.values())  # the cell holds the text, nothing interpreted
    csv = frame_bytes(shown, "csv", "fr").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv.replace(";=HYPERLINK", "")


def test_hostile_link_parameters_are_ignored_with_a_notice(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, city="' OR 1=1 --", method="<script>alert(1)</script>")
    assert not at.exception
    notice = " ".join(w.value for w in at.sidebar.warning) + " ".join(w.value for w in at.warning)
    assert "ignorés" in notice


def test_two_city_teams_loading_at_the_same_moment_both_land(con, write_csv):
    teams = [
        (Principal("lyon@example.org", "editor", frozenset({LYON})), write_csv("lyon.csv", csv_text(rows("Lyon", 300)))),
        (Principal("paris@example.org", "editor", frozenset({PARIS})), write_csv("paris.csv", csv_text(rows("Paris", 300, prefix="P")))),
    ]  # fmt: skip
    barrier = threading.Barrier(len(teams))
    statuses: dict[str, str] = {}

    def upload(who, path):
        cursor = con.cursor()
        barrier.wait()
        statuses[who.login] = load_file(cursor, path, principal=who).status
        cursor.close()

    threads = [threading.Thread(target=upload, args=team) for team in teams]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == {"lyon@example.org": "loaded", "paris@example.org": "loaded"}
    assert con.execute("SELECT code_ville, count(*) FROM activities GROUP BY 1 ORDER BY 1").fetchall() == [
        (LYON, 300),
        (PARIS, 300),
    ]
