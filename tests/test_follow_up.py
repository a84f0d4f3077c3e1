"""The follow-up of proposals (issue 17): each metric on a small hand-computed file, the
"—" with its reason when too few activities report it, and `python -m etl figures`."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from etl.db import open_database
from etl.load import load_file
from queries import framework_params, prepare, run
from queries.metrics import METRICS, compute, median_of_cities, missing_reason, total
from queries.selection import Selection
from tests.conftest import run_cli

HEAD = (
    "id_activite;ville;titre;date_debut;date_fin;methode;niveau_engagement;nb_seances;nb_participants;"
    "nb_propositions_recues;nb_propositions_retenues;nb_nouveaux_participants;retour_public;"
    "nb_propositions_repondues;date_reponse_publique;nb_propositions_mises_en_oeuvre;url_reponse"
)
# Lyon: L1 ends 31/01, answered 1 March (30 days, 2024 is a leap year); L2 has no end, answered
# 151 days after its start; L3 answered after 30 days, its public response implied by the
# answer (retour_public empty); L4 did not answer. Paris: one answer, 31 days after its start.
ROWS = f"""{HEAD}
L1;Lyon;Atelier;2024-01-10;2024-01-31;atelier;concertation;2;100;40;10;30;oui;30;2024-03-01;4;https://lyon.fr/r1
L2;Lyon;Budget;2024-02-15;;budget_participatif;co_decision;1;300;100;50;60;oui;100;2024-07-15;20;
L3;Lyon;Marche;2024-04-01;;marche_exploratoire;concertation;1;50;10;5;10;;8;2024-05-01;;
L4;Lyon;Réunion;2024-05-01;;reunion_publique;information;1;80;20;2;;non;;;;
P1;Paris;Réunion;2024-01-20;;reunion_publique;consultation;1;200;50;5;;oui;20;2024-02-20;;
"""
YEAR = Selection(date(2024, 1, 1), date(2024, 12, 31))
LYON, PARIS = "69123", "75056"


@pytest.fixture
def hand_db(write_csv, db_path):
    """The hand-made file loaded, the database closed again (the CLI opens it)."""
    con = open_database(db_path)
    try:
        report = load_file(con, write_csv("follow_up.csv", ROWS))
        assert report.status == "loaded", [p.message("en") for p in report.problems]
    finally:
        con.close()
    return db_path


@pytest.fixture
def agg(hand_db):
    con = open_database(hand_db)
    try:
        params = YEAR.params() | framework_params() | {"lang": "fr"}
        return run(prepare(con), "aggregates_by_city", params).set_index("city_code")
    finally:
        con.close()


def test_each_follow_up_metric_per_city(agg):
    lyon = compute(agg).loc[LYON]
    assert lyon.answer_rate == pytest.approx(138 / 150)  # (30 + 100 + 8) / (40 + 100 + 10)
    assert lyon.median_days_to_answer == 30  # median of 30, 151, 30
    assert lyon.answered_within_90_days == pytest.approx(2 / 3)
    assert lyon.returning_share == pytest.approx(1 - 100 / 450)  # 1 − (30 + 60 + 10) / (100 + 300 + 50)
    assert lyon.public_response_rate == 0.75  # L1, L2 and L3 (implied by its answer) of 4
    assert (lyon.answer_activities, lyon.delay_activities, lyon.implementation_activities) == (3, 3, 2)
    assert math.isnan(lyon.implementation_rate)  # 24 / 60, but only 2 activities report it
    assert METRICS["implementation_rate"].compute(agg.loc[[LYON]]).iloc[0] == pytest.approx(
        24 / 60
    )  # (4 + 20) / (10 + 50)


def test_the_whole_selection_joins_the_delays(agg):
    everything = total(agg)
    assert everything.answer_rate == pytest.approx(158 / 200)
    assert everything.median_days_to_answer == 30.5  # median of 30, 151, 30, 31
    assert everything.answered_within_90_days == 0.75
    assert everything.returning_share == pytest.approx(1 - 100 / 450)  # Paris does not report newcomers
    assert math.isnan(everything.implementation_rate)


def test_too_few_activities_give_a_dash_with_the_reason(agg):
    per_city = compute(agg)
    paris, lyon = per_city.loc[PARIS], per_city.loc[LYON]
    assert math.isnan(paris.answer_rate) and paris.answer_activities == 1
    assert missing_reason("answer_rate", paris, "fr") == (
        "Trop peu d'activités renseignent les propositions reçues et celles ayant reçu une réponse : 1, il en faut au moins 3."
    )
    assert (
        missing_reason("returning_share", paris, "en") == "No activity in the selection reports the new participants."
    )
    assert missing_reason("implementation_rate", lyon, "en").startswith(
        "Too few activities report the proposals implemented: 2"
    )
    assert missing_reason("answer_rate", lyon, "fr") is None
    # A city below the threshold stays out of the mission median.
    assert median_of_cities(agg)["answer_rate"] == pytest.approx(lyon.answer_rate)


def test_every_metric_says_what_it_rests_on():
    for key, metric in METRICS.items():
        assert metric.label_fr and metric.label_en and metric.definition_fr != metric.definition_en, key
        assert metric.basis
        if metric.minimum:
            assert metric.reports_fr and metric.reports_en, key


# --- python -m etl figures ---------------------------------------------------------------


def figures_json(db, *args):
    result = run_cli("figures", "--db", str(db), "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_figures_json_for_the_selection_and_each_city(hand_db):
    records = figures_json(hand_db, "--city", "Lyon", "--city", "paris", "--from", "2024-01-01", "--to", "2024-12-31")
    by = {(r["metric"], r["city"]): r for r in records}
    assert {"metric", "city", "value", "activities_counted"} <= set(records[0])
    assert by[("answer_rate", None)]["value"] == pytest.approx(0.79)
    assert by[("answer_rate", None)]["activities_counted"] == 4
    assert by[("median_days_to_answer", LYON)]["value"] == 30
    assert by[("median_days_to_answer", LYON)]["shown"] == "30 j"
    assert by[("activities", PARIS)] | {} and by[("activities", PARIS)]["value"] == 1
    assert by[("answer_rate", PARIS)]["value"] is None
    assert by[("answer_rate", PARIS)]["reason"].startswith("Trop peu d'activités")
    assert by[("implementation_rate", LYON)]["activities_counted"] == 2
    keys = {r["metric"] for r in records}
    assert {"activities", "participations", "proposals_adopted", "adoption_rate", "depth_index"} <= keys
    assert {"answer_rate", "median_days_to_answer", "implementation_rate", "returning_share"} <= keys


def test_figures_period_and_language(hand_db):
    records = figures_json(hand_db, "--from", "2024-03-01", "--to", "2024-12-31", "--lang", "en")
    by = {r["metric"]: r for r in records}
    assert by["activities"]["value"] == 2 and by["activities"]["label"] == "Activities"
    assert by["answer_rate"]["value"] is None and by["answer_rate"]["reason"].startswith("Too few activities")
    table = run_cli("figures", "--db", str(hand_db), "--lang", "en", "--city", "69123")
    assert table.returncode == 0 and "Whole selection" in table.stdout and "Lyon (69123)" in table.stdout
    assert "Answer rate" in table.stdout and "92.0 %" in table.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--city", "Lyonn"), "« Lyon »"),
        (("--city", "Atlantis"), "ville inconnue : « Atlantis »"),
        (("--from", "14/03/2024"), "AAAA-MM-JJ"),
        (("--from", "2024-12-31", "--to", "2024-01-01"), "Inversez --from et --to"),
    ],
)
def test_figures_usage_errors_exit_2(hand_db, args, expected):
    result = run_cli("figures", "--db", str(hand_db), *args)
    assert result.returncode == 2 and expected in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


# --- representativeness -----------------------------------------------------------------

PEOPLE = """id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues;nb_femmes;nb_moins_25_ans
L1;Lyon;Atelier;2024-01-10;atelier;concertation;1;60;0;20;6
L2;Lyon;Atelier 2;2024-02-10;atelier;concertation;1;40;0;10;4
P1;Paris;Réunion;2024-01-20;reunion_publique;information;1;10;0;4;
N1;Nantes;Réunion;2024-01-20;reunion_publique;information;1;8;0;6;
"""
STRUCTURE = """ville;part_femmes;part_moins_25_ans;annee;source
Lyon;50;20;2021;INSEE, recensement 2021
75056;52,0 %;;2021;INSEE
Nantes Métropole;51.5;25;2021;INSEE
"""


@pytest.fixture
def people_db(write_csv, db_path):
    con = open_database(db_path)
    try:
        assert load_file(con, write_csv("people.csv", PEOPLE)).status == "loaded"
    finally:
        con.close()
    result = run_cli("cities", "structure", "--db", str(db_path), str(write_csv("structure.csv", STRUCTURE)))
    assert result.returncode == 0 and "3 ville(s)" in result.stdout, result.stderr
    return db_path


def test_representation_ratio_and_privacy_threshold(people_db):
    records = figures_json(people_db, "--city", "Lyon", "--city", "Paris", "--city", "Nantes")
    by = {(r["metric"], r["city"]): r for r in records}
    # Lyon: women 30 of 100 participations, 50 % of the inhabitants: 0.3 / 0.5.
    assert by[("women_representation", LYON)]["value"] == pytest.approx(0.6)
    assert by[("women_representation", LYON)]["activities_counted"] == 2
    assert by[("under_25_representation", LYON)]["value"] == pytest.approx(0.5)  # 0.1 / 0.2
    # Paris: 4 women (< 5); Nantes: 6 women but only 2 other participations (< 5): not shown.
    for city in (PARIS, "244400404"):
        assert by[("women_representation", city)]["value"] is None
        assert "secret statistique" in by[("women_representation", city)]["reason"]
    # Paris has no under-25 share: nothing to compare with.
    assert by[("under_25_representation", PARIS)]["value"] is None
    assert by[("under_25_representation", PARIS)]["activities_counted"] == 0
    # The whole selection: 40 women of 118 against 0.5×100 + 0.52×10 + 0.515×8 expected.
    assert by[("women_representation", None)]["value"] == pytest.approx(40 / (50 + 5.2 + 4.12))


def test_structure_file_problems_are_all_reported_and_nothing_is_written(people_db, write_csv):
    bad = write_csv(
        "bad.csv",
        "ville;part_femmes;part_moins_25_ans;annee;source\nLyonn;50;20;2021;x\nParis;120;;1850;\nLyon;;;2021;y\n",
    )
    result = run_cli("--lang", "en", "cities", "structure", "--db", str(people_db), str(bad))
    assert result.returncode == 1 and "Nothing was written" in result.stderr
    assert 'bad.csv:2 [ville] Unknown city: "Lyonn". Did you mean “Lyon”?' in result.stderr
    assert "bad.csv:3 [part_femmes]" in result.stderr and "bad.csv:3 [annee]" in result.stderr
    assert "bad.csv:3 [source]" in result.stderr and "bad.csv:4 [part_femmes] Neither" in result.stderr
    missing = run_cli("cities", "structure", "--db", str(people_db), str(write_csv("m.csv", "ville;source\nLyon;x\n")))
    assert missing.returncode == 1 and "Colonne(s) absente(s) : annee" in missing.stderr
    records = figures_json(people_db, "--city", "Lyon")
    assert {(r["metric"], r["city"]): r for r in records}[("women_representation", LYON)]["value"] == pytest.approx(0.6)


def test_a_longer_delay_than_the_median_is_bad_news_and_a_ratio_is_neither():
    from ui.widgets import delta

    slower = delta(METRICS["median_days_to_answer"], 120, 60, "fr")
    assert (slower.text, slower.arrow, slower.colour) == ("+100,0 %", "up", "red")
    assert delta(METRICS["answer_rate"], 0.8, 0.7, "fr").colour == "green"
    assert delta(METRICS["women_representation"], 0.8, 0.9, "en").colour == "gray"
