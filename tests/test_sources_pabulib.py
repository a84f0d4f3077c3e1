"""Pabulib .pb files through the importer: real files (tests/fixtures/platforms/pabulib,
see SOURCE.md for the citation) and damaged copies of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import check_file, history, load_file, rollback
from etl.sources import SourceOptions, detect
from tests.conftest import FIXTURES, run_cli

PB = FIXTURES / "platforms" / "pabulib"
KRAKOW = PB / "Poland_Krakow_2022_Stare_Miasto.pb"
LODZ = PB / "Poland_Lodz_2025_Katedralna.pb"
AMSTERDAM = PB / "Netherlands_Amsterdam_166.pb"
TOULOUSE = PB / "France_Toulouse_2022.pb"


def current(con, key: str) -> dict:
    rel = con.execute("SELECT * FROM activities WHERE id_activite = ?", [key])
    names = [d[0] for d in rel.description]
    rows = rel.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def test_detected_from_content_not_name(tmp_path):
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(KRAKOW.read_bytes())
    assert detect(renamed.read_bytes()) == "pabulib"
    assert detect(b"ville;date_debut\nLyon;2024-01-01\n") is None


def test_krakow_district_budget_mapping(con):
    report = load_file(con, KRAKOW, user="t")
    assert report.status == "loaded", [p.message("en") for p in report.problems]
    assert report.export_summary["fr"] == "Fichier Pabulib : Kraków 2022 Stare Miasto, 19 projets, 1\u202f074 votants"
    assert report.export_summary["en"] == "Pabulib file: Kraków 2022 Stare Miasto, 19 projects, 1,074 voters"
    row = current(con, "pabulib-poland-krakow-2022-stare-miasto")
    assert row["code_ville"] == "PL-krakow"
    assert row["methode"] == "budget_participatif" and row["niveau_engagement"] == "co_decision"
    assert str(row["date_debut"])[:10] == "2022-09-30" and str(row["date_fin"])[:10] == "2022-10-14"
    assert row["nb_participants"] == 1074  # rows of VOTES
    assert row["nb_propositions_recues"] == 19  # rows of PROJECTS
    assert row["nb_propositions_retenues"] == 9  # selected = 1
    assert row["titre"] == "District PB in Kraków, Stare Miasto"
    assert row["format"] == "hybride"  # internet and paper votes
    assert row["nb_femmes"] is None  # no sex column: not invented


def test_lodz_women_and_under_25_from_voters(con):
    text = LODZ.read_text(encoding="utf-8")
    votes = text.split("VOTES\n", 1)[1].splitlines()[1:]
    women = sum(1 for v in votes if v.split(";")[3] == "F")
    young = sum(1 for v in votes if v.split(";")[2].isdigit() and int(v.split(";")[2]) < 25)
    report = load_file(con, LODZ, user="t")
    assert report.status == "loaded"
    row = current(con, "pabulib-poland-lodz-2025-srodmiescie-katedralna")
    assert row["ville"] == "Łódź" and row["nb_participants"] == len(votes) == 1511
    assert (row["nb_femmes"], row["nb_moins_25_ans"]) == (women, young)
    assert row["nb_propositions_retenues"] == text.split("PROJECTS\n", 1)[1].split("VOTES")[0].count(";1\n")


def test_amsterdam_without_selected_computes_winners_with_pabutools(con):
    report, _ = check_file(con, AMSTERDAM)
    assert report.status == "valid"
    (warning,) = report.problems
    assert warning.code == "export-winners-computed" and warning.line == 23 and warning.column == "PROJECTS.selected"
    assert "pabutools" in warning.message("fr") and "greedy" in warning.message("en")
    load_file(con, AMSTERDAM, user="t")
    row = current(con, "pabulib-netherlands-amsterdam-166-noord")
    assert (str(row["date_debut"])[:10], str(row["date_fin"])[:10]) == ("2019-01-01", "2019-12-31")  # a year alone
    assert row["nb_propositions_retenues"] == 30 and row["nb_propositions_recues"] == 52


def test_reload_changes_nothing_and_newer_export_updates(con, tmp_path):
    first = load_file(con, KRAKOW, user="t")
    again = load_file(con, KRAKOW, user="t")
    assert again.status == "already-loaded"
    # The same file under another name: the same activity, unchanged.
    copy = tmp_path / "krakow.pb"
    copy.write_bytes(KRAKOW.read_bytes() + b"\n")
    same = load_file(con, copy, user="t")
    assert (same.inserted, same.updated, same.unchanged) == (0, 0, 1)
    # A newer export of the same budget (a late vote): updates, never adds.
    text = KRAKOW.read_text(encoding="utf-8").replace("num_votes;1074", "num_votes;1075")
    newer = tmp_path / "krakow_newer.pb"
    newer.write_text(text + "E9999999;11,13,36;3,2,1;paper\n", encoding="utf-8")
    report = load_file(con, newer, user="t")
    assert (report.inserted, report.updated) == (0, 1)
    assert current(con, "pabulib-poland-krakow-2022-stare-miasto")["nb_participants"] == 1075
    rollback(con, report.load_id, user="t")
    assert current(con, "pabulib-poland-krakow-2022-stare-miasto")["nb_participants"] == 1074
    assert [h["load_id"] for h in history(con)][-1] == first.load_id


def test_level_option_changes_the_level(con):
    options = SourceOptions(levels={"budget_participatif": "concertation"})
    load_file(con, KRAKOW, user="t", source=options)
    assert current(con, "pabulib-poland-krakow-2022-stare-miasto")["niveau_engagement"] == "concertation"


def count_records(con) -> int:
    return con.execute("SELECT count(*) FROM records").fetchone()[0]


def write(tmp_path: Path, text: str, name="bad.pb") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def rejected(con, path) -> list:
    report = load_file(con, path, user="t")
    assert report.status == "rejected"
    assert count_records(con) == 0
    for p in report.problems:
        assert "{" not in p.message("fr") + p.message("en")
    return report.problems


def test_truncated_file_is_refused(con, tmp_path):
    data = KRAKOW.read_bytes()
    path = tmp_path / "cut.pb"
    path.write_bytes(data[: len(data) - 30])  # cut in the middle of the last vote
    (problem,) = rejected(con, path)
    assert problem.code == "export-truncated"
    assert problem.line == data[: len(data) - 30].count(b"\n") + 1
    assert "coupé" in problem.message("fr") and "cut off" in problem.message("en")


def test_file_without_votes_is_refused(con, tmp_path):
    text = KRAKOW.read_text(encoding="utf-8")
    (problem,) = rejected(con, write(tmp_path, text.split("VOTES\n")[0]))
    assert problem.code == "export-truncated"
    assert "VOTES" in problem.message("fr") and "voters cannot be counted" in problem.message("en")


def test_counts_disagreeing_with_meta_are_refused(con, tmp_path):
    text = KRAKOW.read_text(encoding="utf-8").replace("num_votes;1074", "num_votes;1100")
    text = text.replace("num_projects;19", "num_projects;18")
    problems = rejected(con, write(tmp_path, text))
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("export-count-mismatch", 9, "META.num_projects"),
        ("export-count-mismatch", 10, "META.num_votes"),
    ]
    assert "num_votes = 1100" in problems[1].message("fr") and "1074" in problems[1].message("en")


def test_row_with_wrong_field_count_names_its_line(con, tmp_path):
    lines = KRAKOW.read_text(encoding="utf-8").split("\n")
    at = lines.index("VOTES") + 3
    lines[at] = lines[at] + ";extra"
    problems = rejected(con, write(tmp_path, "\n".join(lines)))
    assert (problems[0].code, problems[0].line) == ("wrong-field-count", at + 1)


def test_many_broken_rows_are_all_counted_and_the_first_described(con, tmp_path):
    lines = KRAKOW.read_text(encoding="utf-8").split("\n")
    first = lines.index("VOTES") + 2
    broken = range(first, first + 70)
    for at in broken:
        lines[at] += ";extra"
    problems = rejected(con, write(tmp_path, "\n".join(lines)))
    described = [p for p in problems if p.code == "wrong-field-count"]
    assert [p.line for p in described] == [at + 1 for at in broken[:50]]
    more = [p for p in problems if p.code == "more-problems"]
    assert len(more) == 1 and more[0].params["more"] == 20
    assert "wrong-field-count: 20" in more[0].params["counts_en"]


def test_city_outside_the_mission_named_with_how_to_add_it(con):
    (problem,) = rejected(con, TOULOUSE)
    assert (problem.code, problem.line, problem.column) == ("export-city", 5, "META.unit")
    assert "Toulouse" in problem.message("fr") and "cities add" in problem.message("fr")
    assert "--mission" in problem.message("en")


def test_city_alias_resolves(con, tmp_path):
    text = KRAKOW.read_text(encoding="utf-8").replace("unit;Kraków", "unit;Krakow")
    report = load_file(con, write(tmp_path, text, "alias.pb"), user="t")
    assert report.status == "loaded" and report.cities == ["PL-krakow"]


def test_cli_load_and_validate(tmp_path):
    db = tmp_path / "cli.duckdb"
    done = run_cli("validate", str(TOULOUSE), str(KRAKOW), db=db)
    assert done.returncode == 1 and "export-city" in done.stdout and "Fichier Pabulib : Kraków" in done.stdout
    done = run_cli("--lang", "en", "load", str(LODZ), "--level", "budget_participatif=concertation", db=db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Pabulib file: Łódź 2025 Katedralna, 23 projects, 1,511 voters" in done.stdout
    done = run_cli("load", str(LODZ), "--level", "budget_participatif=everything", db=db)
    assert done.returncode == 2 and "--level" in done.stderr


@pytest.mark.parametrize("path", [KRAKOW, LODZ, AMSTERDAM], ids=lambda p: p.name)
def test_real_files_valid(check_con, path):
    report, _ = check_file(check_con, path)
    assert report.status == "valid" and report.rows_read == 1


def test_the_command_given_to_add_the_city_works(tmp_path):
    db = tmp_path / "cli.duckdb"
    done = run_cli("load", str(TOULOUSE), db=db)
    assert done.returncode == 1 and "--country FR" in done.stdout
    added = run_cli(
        "cities", "add", "--code", "FR-toulouse", "--name", "Toulouse", "--country", "FR",
        "--lat", "43.6", "--lon", "1.44", "--mission", db=db,
    )  # fmt: skip
    assert added.returncode == 0, added.stdout + added.stderr
    done = run_cli("load", str(TOULOUSE), db=db)
    assert done.returncode == 0, done.stdout
    assert "199 projets, 4\u202f532 votants" in done.stdout


def test_cut_anywhere_is_a_clean_rejection_or_a_load(check_con):
    """A .pb cut at any point: read or refused with a message, never a traceback."""
    data = AMSTERDAM.read_bytes()
    for cut in range(0, len(data), len(data) // 37):
        report, _ = check_file(check_con, Path("cut.pb"), data=data[:cut] or b"META")
        assert report.status in ("valid", "rejected"), cut
        if report.status == "rejected":
            assert all("{" not in p.message("en") for p in report.problems)
