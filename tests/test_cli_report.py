"""`python -m etl report`: the Present page's deck and report from the command line, as a
user runs it (a subprocess on the demo database): the same slides, every format, and the
exit codes 0 (written), 1 (nothing matches, said why; nothing written), 2 (usage error)."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation

from exports import images
from tests.conftest import run_cli
from tests.test_exports import parse

needs_chromium = pytest.mark.skipif(not images.available(), reason="no Chromium: apt-get install chromium")


def _slides(demo_db, monkeypatch, lang: str, query: dict, charts: list[str]):
    """The slides the Present page builds for the same selection."""
    from queries import choices, data_version
    from queries.selection import from_query
    from ui import slides

    monkeypatch.setenv("ENGAGEMENT_DB", str(demo_db))
    version = data_version()
    selection = from_query(query, choices(version))
    view = slides.View(selection, version, lang, "fr", (), *slides.footer_facts(version, lang))
    return slides.build_all(slides.choose(charts, selection), view)


def test_html_report_holds_the_present_pages_slides(demo_db, tmp_path, monkeypatch):
    out = tmp_path / "bilan.html"
    result = run_cli(
        "report", "--db", str(demo_db), "--format", "html", "-o", str(out), "--city", "Lyon", "--city", "75056",
        "--from", "2024-01-01", "--to", "2025-12-31", "--charts", "trend", "ladder", "scatter",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "3 diapositives" in result.stdout
    html = out.read_text(encoding="utf-8")
    assert "<title>Participation citoyenne dans les villes de la mission</title>" in html
    query = {"city": ["69123", "75056"], "from": ["2024-01-01"], "to": ["2025-12-31"]}
    built = _slides(demo_db, monkeypatch, "fr", query, ["trend", "ladder", "scatter"])
    assert re.findall(r"<h2>(.*?)</h2>", html) == [s.title.replace("'", "&#x27;") for s in built]
    assert all(s.summary.replace("'", "&#x27;") in html for s in built)  # the same takeaways
    assert parse(html).urls == []  # no script, style sheet, image or frame from anywhere: opens offline


@needs_chromium
def test_pptx_deck_in_english_with_every_city(demo_db, tmp_path, monkeypatch):
    out = tmp_path / "deck.pptx"
    result = run_cli("report", "--db", str(demo_db), "--format", "pptx", "-o", str(out), "--lang", "en",
                     "--charts", "map", "ladder")  # fmt: skip
    assert result.returncode == 0, result.stderr
    deck = Presentation(io.BytesIO(out.read_bytes()))
    built = _slides(demo_db, monkeypatch, "en", {}, ["map", "ladder"])
    assert [s.shapes.title.text for s in deck.slides] == [s.title for s in built]
    assert len(deck.slides) == 11  # the map, then 112 cities on ten slides of at most 12


@needs_chromium
def test_pdf_is_the_html_report_on_a4(demo_db, tmp_path):
    out = tmp_path / "bilan.pdf"
    result = run_cli("report", "--db", str(demo_db), "--format", "pdf", "-o", str(out), "--city", "Lyon",
                     "--charts", "trend", "map")  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes and all(abs(float(w) - 595.92) < 2 and abs(float(h) - 842.88) < 2 for w, h in sizes)  # A4
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 2  # one chart a page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2031-01-01"], "Aucune activité ne correspond à la sélection"),
        (["--charts", "funnel", "matrix"], "Aucun des graphiques demandés ne convient"),
    ],
)
def test_nothing_to_report_exits_1_with_the_reason_and_writes_nothing(demo_db, tmp_path, args, message):
    out = tmp_path / "bilan.html"
    result = run_cli("report", "--db", str(demo_db), "--format", "html", "-o", str(out), *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no partial file left


def test_a_city_without_data_exits_1(demo_copy, tmp_path):
    empty = tmp_path / "empty.duckdb"
    assert run_cli("migrate", "--db", str(empty)).returncode == 0
    result = run_cli("report", "--db", str(empty), "--format", "html", "-o", str(tmp_path / "r.html"), "--lang", "en")
    assert result.returncode == 1 and "No activity is loaded" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--city", "Lyom"], "vouliez-vous dire « Lyon »"),
        (["--charts", "pie"], "graphique inconnu : « pie »"),
        (["--from", "14/03/2024"], "date illisible pour --from"),
        (["--format", "docx"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(demo_db, tmp_path, args, message):
    base = ["report", "--db", str(demo_db), "-o", str(tmp_path / "r.html")]
    if "--format" not in args:
        base += ["--format", "html"]
    result = run_cli(*base, *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
