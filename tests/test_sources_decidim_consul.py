"""Decidim open-data exports (0.27 and 0.30 columns, two locales, multi-line quoted HTML)
and CONSUL budget-investment CSVs (Spanish, English, French labels), built column by
column from the platforms' serializers (tests/platform_exports.py)."""

from __future__ import annotations

import zipfile

import pytest

from etl.load import check_file, load_file
from etl.sources import SourceOptions, detect
from tests import platform_exports as px
from tests.conftest import run_cli

LYON = SourceOptions(city="Lyon")


def activities(con) -> dict[str, dict]:
    rel = con.execute("SELECT * FROM activities ORDER BY id_activite")
    names = [d[0] for d in rel.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in rel.fetchall()}


def records(con) -> int:
    return con.execute("SELECT count(*) FROM records").fetchone()[0]


def meetings(version, locales):
    return px.meetings_csv(
        version,
        locales,
        [
            px.meeting(1, locales, related_proposals="101, 102"),
            px.meeting(2, locales, attendees=0, contributions=0, title="Atelier jamais clôturé"),
            px.meeting(3, locales, published="false"),
            px.meeting(4, locales, withdrawn="true"),
        ],
    )


def proposals(version, locales):
    return px.proposals_csv(
        version,
        locales,
        [
            px.proposal(101, locales, author=1, state="accepted"),
            px.proposal(102, locales, author=2, state="rejected"),
            px.proposal(103, locales, author=1, state="accepted"),
            px.proposal(104, locales, author=3, state="withdrawn"),
            px.proposal(105, locales, author=4, state="evaluating", space="7", component="30"),
        ],
    )


@pytest.mark.parametrize("version,locales", [("0.27", ["fr", "en"]), ("0.30", ["ca", "es"])])
def test_open_data_zip(con, tmp_path, version, locales):
    data = px.open_data_zip(
        {
            "meetings": meetings(version, locales),
            "proposals": proposals(version, locales),
            "projects": px.projects_csv(
                version, locales, [px.project(i, locales, selected=i < 3) for i in range(1, 6)]
            ),
            "meeting_comments": b"id;body\n1;hello\n",
        }
    )
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    assert detect(data) == "decidim"
    figures = {"date_debut": "2024-05-01", "nb_participants": "830"}
    if version == "0.27":
        figures["nb_propositions_retenues"] = "2"
    report = load_file(con, path, user="t", source=SourceOptions(city="Lyon", figures=figures))
    assert report.status == "loaded", [(p.file, p.line, p.column, p.message("en")) for p in report.errors]
    assert report.export_summary["fr"] == "Export Decidim, 3 fichiers : 4 réunions, 5 propositions, 5 projets de budget"
    assert report.export_summary["en"] == "Decidim export, 3 files: 4 meetings, 5 proposals, 5 budget projects"
    rows = activities(con)
    host = "participer-example-eu"
    assert set(rows) == {
        f"decidim-{host}-meeting-1",
        f"decidim-{host}-meeting-2",
        f"decidim-{host}-proposals-3-14",
        f"decidim-{host}-proposals-7-30",
        f"decidim-{host}-budget-5",
    } | ({f"decidim-{host}-meeting-4"} if version == "0.27" else set())  # 0.27 has no withdrawn column
    m1 = rows[f"decidim-{host}-meeting-1"]
    assert (m1["methode"], m1["niveau_engagement"], m1["code_ville"]) == ("reunion_publique", "consultation", "69123")
    assert (m1["nb_participants"], m1["nb_propositions_recues"], m1["nb_propositions_retenues"]) == (40, 6, 1)
    assert str(m1["date_debut"])[:10] == "2024-03-14" and m1["titre"] == "Réunion de quartier 1"
    assert m1["url_source"] == f"https://{px.HOST}/processes/climat/f/12/meetings/1"
    assert m1["format"] == ("presentiel" if version == "0.30" else None)
    props = rows[f"decidim-{host}-proposals-3-14"]
    assert props["methode"] == "consultation_en_ligne"
    # received = published, not withdrawn (3); adopted = accepted (2); participants = distinct authors (1, 2)
    assert (props["nb_propositions_recues"], props["nb_propositions_retenues"], props["nb_participants"]) == (3, 2, 2)
    budget = rows[f"decidim-{host}-budget-5"]
    assert (budget["nb_propositions_recues"], budget["nb_propositions_retenues"], budget["nb_participants"]) == (
        5,
        2,
        830,
    )
    assert budget["niveau_engagement"] == "co_decision"
    (warning,) = [p for p in report.problems if p.code == "export-not-closed"]
    assert (
        warning.line == 6 and warning.file
    )  # records span 4 lines (HTML) == f"export.zip › {px.HOST}-open-data-meetings.csv"
    assert "jamais clôturé" in warning.message("fr")
    # The same export again: nothing changes; a newer one updates.
    assert load_file(con, path, user="t", source=LYON).status == "already-loaded"


def test_title_falls_back_to_first_filled_locale(con, tmp_path):
    locales = ["es", "ca"]
    row = px.meeting(1, locales, title="Reunión del barrio")
    path = tmp_path / "m.csv"
    path.write_bytes(px.meetings_csv("0.30", locales, [row]))
    assert load_file(con, path, user="t", source=LYON).status == "loaded"
    assert next(iter(activities(con).values()))["titre"] == "Reunión del barrio"


def test_single_csv_problems_on_its_own_lines(con, tmp_path):
    locales = ["fr"]
    rows = [px.meeting(1, locales), px.meeting(2, locales, attendees="beaucoup"), px.meeting(3, locales)]
    path = tmp_path / "meetings.csv"
    path.write_bytes(px.meetings_csv("0.27", locales, rows))
    report = load_file(con, path, user="t", source=LYON)
    assert report.status == "rejected" and records(con) == 0
    (error,) = report.errors
    # Each record spans 4 lines (multi-line HTML description): meeting 2 starts on line 6.
    assert (error.file, error.line, error.column, error.code) == (
        "meetings.csv",
        6,
        "attendees (nb_participants)",
        "type-error",
    )


def test_without_city_refused_naming_the_option(con, tmp_path):
    path = tmp_path / "meetings.csv"
    path.write_bytes(px.meetings_csv("0.27", ["fr"], [px.meeting(1, ["fr"])]))
    report = load_file(con, path, user="t")
    assert report.status == "rejected" and records(con) == 0
    assert "--city" in report.problems[0].message("fr") and "--city" in report.problems[0].message("en")
    page = load_file(con, path, user="t", source=SourceOptions(channel="page"))
    assert "--city" not in page.problems[0].message("fr") and "Ville du fichier" in page.problems[0].message("fr")


def test_budget_voters_missing_named_with_how_to_give_them(con, tmp_path):
    path = tmp_path / "projects.csv"
    path.write_bytes(px.projects_csv("0.30", ["fr"], [px.project(1, ["fr"]), px.project(2, ["fr"], selected=True)]))
    report = load_file(con, path, user="t", source=LYON)
    assert report.status == "rejected" and records(con) == 0
    missing = {(p.column, p.line) for p in report.errors}
    assert missing == {("nb_participants", 2), ("date_debut", 2)}
    message = next(p for p in report.errors if p.column == "nb_participants").message("fr")
    assert "--set nb_participants=" in message and "decidim-participer-example-eu-budget-5:nb_participants" in message


def test_level_per_space(con, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(proposals("0.27", ["fr", "en"]))
    options = SourceOptions(city="Lyon", levels={"7:consultation_en_ligne": "concertation"})
    assert load_file(con, path, user="t", source=options).status == "loaded"
    levels = {k: v["niveau_engagement"] for k, v in activities(con).items()}
    assert levels == {
        "decidim-participer-example-eu-proposals-3-14": "consultation",
        "decidim-participer-example-eu-proposals-7-30": "concertation",
    }


def test_file_missing_columns(con, tmp_path):
    header = px.meetings_header("0.27", ["fr"])
    data = px.meetings_csv("0.27", ["fr"], [px.meeting(1, ["fr"])])
    text = data.decode().replace(";attendees;", ";participants_count;")
    path = tmp_path / "meetings.csv"
    path.write_text(text, encoding="utf-8")
    assert "attendees" in header
    report = load_file(con, path, user="t", source=LYON)
    (problem,) = report.problems
    assert problem.code == "export-columns" and "attendees" in problem.message("fr") and records(con) == 0


def test_zip_with_no_known_file(con, tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
        archive.writestr("site-open-data-debates.csv", "id;title/fr\n1;x\n")
    report = load_file(con, path, user="t", source=LYON)
    (problem,) = report.problems
    assert problem.code == "export-no-known-file" and "notes.txt" in problem.message("en") and records(con) == 0


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_consul_investments_per_heading(con, tmp_path, lang):
    data = px.consul_csv(
        lang,
        [("Más árboles", "Centro", True), ("Carril bici", "Centro", False), ("Huerto", "Norte", True)],
    )
    assert detect(data) == "consul"
    path = tmp_path / "investments.csv"
    path.write_bytes(data)
    report, _ = check_file(con, path, source=SourceOptions(city="Madrid"))
    assert report.status == "rejected"
    assert {p.column for p in report.errors} == {"date_debut", "nb_participants"}
    figures = {"date_debut": "2024-02-01", "nb_participants": "5000"}
    report = load_file(con, path, user="t", source=SourceOptions(city="ES-madrid", figures=figures))
    assert report.status == "loaded", [p.message("en") for p in report.errors]
    rows = activities(con)
    assert set(rows) == {"consul-centro-2024", "consul-norte-2024"}
    centro = rows["consul-centro-2024"]
    assert (centro["nb_propositions_recues"], centro["nb_propositions_retenues"], centro["methode"]) == (
        2,
        1,
        "budget_participatif",
    )


def test_cli_city_required_and_set(tmp_path):
    path = tmp_path / "investments.csv"
    path.write_bytes(px.consul_csv("es", [("Más árboles", "Centro", True)]))
    db = tmp_path / "cli.duckdb"
    done = run_cli("load", str(path), db=db)
    assert done.returncode == 1 and "--city" in done.stdout
    done = run_cli("load", str(path), "--city", "Madrid", db=db)
    assert done.returncode == 1 and "--set nb_participants=" in done.stdout
    done = run_cli(
        "--lang",
        "en",
        "load",
        str(path),
        "--city",
        "Madrid",
        "--set",
        "nb_participants=900",
        "--set",
        "date_debut=2024-02-01",
        "--level",
        "budget_participatif=concertation",
        db=db,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "CONSUL export: 1 investment, 1 heading" in done.stdout


def test_newer_export_updates_its_activities(con, tmp_path):
    locales = ["fr", "en"]
    first = tmp_path / "v1.csv"
    first.write_bytes(px.meetings_csv("0.30", locales, [px.meeting(1, locales), px.meeting(2, locales)]))
    newer = tmp_path / "v2.csv"
    rows = [px.meeting(1, locales, attendees=55), px.meeting(2, locales), px.meeting(3, locales)]
    newer.write_bytes(px.meetings_csv("0.30", locales, rows))
    assert load_file(con, first, user="t", source=LYON).inserted == 2
    report = load_file(con, newer, user="t", source=LYON)
    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 1)
    assert activities(con)["decidim-participer-example-eu-meeting-1"]["nb_participants"] == 55


def test_zip_bomb_member_refused(con, tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x-open-data-meetings.csv", b"id;start_time;attendees\n" + b"0" * (64 * 2**20))
    report = load_file(con, path, user="t", source=LYON)
    assert report.status == "rejected" and records(con) == 0
    assert report.problems[0].code in ("xlsx-inflation", "xlsx-too-large", "binary-file")
