"""The City page: its queries on a small hand-made database, its chart builders, and the
page itself with AppTest (on that small database and on the demo database)."""

from __future__ import annotations

import io
import json
from datetime import date

import duckdb
import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from charts import summaries
from charts.city import (
    activities_table,
    inclusiveness,
    inclusiveness_reported,
    method_level_matrix,
    proposals_funnel,
    stakeholder_mix,
)
from charts.trend import trend_by_level
from etl.db import open_database
from etl.load import load_file
from etl.schema import load_framework, load_schema
from etl.writers import frame_bytes
from queries import framework_params, prepare, run
from queries.metrics import METRICS, compute, small_count
from queries.selection import Selection
from tests.conftest import run_app
from views import tables

PAGE = "app_pages/city.py"
FW = load_framework()
SCHEMA = load_schema()
LYON, PARIS, NANTES = "69123", "75056", "244400404"
Y2024 = {"from": "2024-01-01", "to": "2024-12-31"}

HEADER = (
    "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;"
    "nb_propositions_retenues;nb_propositions_recues;nb_femmes;nb_moins_25_ans;nb_nouveaux_participants;"
    "nb_citoyens;nb_entreprises;nb_recherche;nb_associations;nb_institutions;retour_public;thematique;format"
)
ROWS = [
    "L1;Lyon;Atelier vélo;2024-01-10;atelier;concertation;2;40;5;20;22;3;;30;5;0;5;0;oui;mobilite;presentiel",
    "L2;Lyon;=Consultation énergie 100%;2024-01-20;consultation_en_ligne;consultation;1;100;0;;;;60;100;;;;;non;energie;en_ligne",
    "L3;Lyon;Budget participatif;2024-03-05;budget_participatif;co_decision;3;60;10;12;30;10;20;60;;;;;oui;transversal;hybride",
    "L4;Lyon;atelier VÉLO bis;2023-06-01;atelier;co_construction;1;10;2;4;;;;;;;;;;mobilite;presentiel",
    "P1;Paris;Réunion publique climat;2024-02-01;reunion_publique;information;1;300;0;0;;;;;;;;;;energie;presentiel",
    "P2;Paris;Atelier vélo Paris;2024-02-15;atelier;concertation;2;50;4;8;;;;;;;;;;mobilite;presentiel",
    "N1;Nantes;Convention citoyenne;2023-05-01;convention_citoyenne;co_construction;6;120;30;50;;;;;;;;;;adaptation;presentiel",
]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    """Three cities, seven activities: every figure below is worked out by hand from ROWS."""
    folder = tmp_path_factory.mktemp("city")
    path = folder / "small.duckdb"
    csv = folder / "activites.csv"
    csv.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    con = open_database(path)
    report = load_file(con, csv)
    con.close()
    assert report.status == "loaded", report
    return path


@pytest.fixture
def small_con(small_db):
    con = prepare(duckdb.connect(str(small_db), read_only=True))
    yield con
    con.close()


def params(start=date(2024, 1, 1), end=date(2024, 12, 31), **extra) -> dict:
    return Selection(start, end).params() | framework_params() | {"lang": "fr"} | extra


# --- queries -----------------------------------------------------------------------


def test_city_trend_counts_one_city_by_month_and_level(small_con):
    trend = run(small_con, "city_trend_by_level", params(city=LYON))
    got = {(str(r.period)[:7], r.level): (r.activities, r.participations) for r in trend.itertuples()}
    assert got == {
        ("2024-01", "concertation"): (1, 40),
        ("2024-01", "consultation"): (1, 100),
        ("2024-03", "co_decision"): (1, 60),
    }


def test_city_method_level_counts_follow_the_period(small_con):
    frame = run(small_con, "city_activities_by_method_and_level", params(city=LYON))
    got = {(r.method, r.level): r.activities for r in frame.itertuples()}
    assert got == {
        ("atelier", "concertation"): 1,
        ("consultation_en_ligne", "consultation"): 1,
        ("budget_participatif", "co_decision"): 1,
    }
    wider = run(small_con, "city_activities_by_method_and_level", params(start=date(2023, 1, 1), city=LYON))
    assert wider["activities"].sum() == 4


def test_city_activities_search_is_case_insensitive_and_literal(small_con):
    every = params(start=date(2023, 1, 1), city=LYON)
    assert len(run(small_con, "city_activities", every | {"search": ""})) == 4
    assert sorted(run(small_con, "city_activities", every | {"search": "VÉLO"})["id_activite"]) == ["L1", "L4"]
    assert list(run(small_con, "city_activities", every | {"search": "100%"})["id_activite"]) == ["L2"]
    assert run(small_con, "city_activities", every | {"search": "v_lo"}).empty  # `_` is no wildcard
    assert run(small_con, "city_activities", params(city=LYON, search="VÉLO"))["id_activite"].tolist() == ["L1"]
    rows = run(small_con, "city_activities", params(city=LYON, search=None))
    assert rows["id_activite"].tolist() == ["L3", "L2", "L1"]  # newest first


def lyon_2024(small_con) -> pd.Series:
    aggregates = compute(run(small_con, "aggregates_by_city", params()))
    return aggregates.set_index("city_code").loc[LYON]


# --- chart builders ------------------------------------------------------------------


def test_funnel_goes_from_participations_to_adopted_proposals(small_con):
    row = lyon_2024(small_con)
    fig = proposals_funnel(row, "fr")
    (trace,) = fig.data
    assert trace.type == "funnel"
    assert list(trace.y) == ["Participations", "Propositions reçues", "Propositions retenues"]
    assert list(trace.x) == [200, 32, 15]  # the registry's proposals_adopted: 5 + 0 + 10
    assert trace.text[2] == "15<br>taux d'adoption 46,9 %"  # 15 / 32; two lines: it fits a half column
    assert fig.layout.title.text == "Des participations aux propositions retenues"
    assert not fig.layout.title.subtitle.text  # every adopted proposal is in the rate
    en = proposals_funnel(row, "en")
    assert list(en.data[0].y) == ["Participations", "Proposals received", "Proposals adopted"]
    assert en.data[0].text[2] == "15<br>adoption rate 46.9 %"


def test_funnel_shows_every_adopted_proposal_and_says_what_the_rate_leaves_out(small_con):
    """Proposals adopted by activities that do not report the proposals received count in
    the funnel (the same figure as every other page), not in the rate: the subtitle, the
    summary and the table say how many."""
    row = lyon_2024(small_con).copy()
    row["proposals_adopted"] += 7  # as if an activity without proposals received had adopted 7
    row = compute(row.to_frame().T).iloc[0]
    assert row["adopted_without_received"] == 7
    fig = proposals_funnel(row, "fr")
    assert list(fig.data[0].x) == [200, 32, 22]
    assert fig.data[0].text[2] == "22<br>taux d'adoption 46,9 %"
    assert "dont 7 retenues par des activités<br>sans propositions reçues déclarées" in fig.layout.title.subtitle.text
    sentence = summaries.proposals_funnel(row, "Lyon", "fr")
    assert "32 propositions reçues et 22 propositions retenues" in sentence
    assert "7 retenues par d'autres activités n'y entrent pas" in sentence
    table = tables.proposals_funnel(row, "en")
    assert table.iloc[:, 1].tolist() == [200, 32, 22, 7]
    assert table.iloc[3, 0] == "Adopted outside the adoption rate"


def test_matrix_has_methods_as_rows_and_levels_in_rank_order():
    frame = pd.DataFrame(
        {
            "method": ["enquete", "atelier", "atelier"],
            "level": ["consultation", "co_decision", "information"],
            "activities": [4, 1, 2],
        }
    )
    fig = method_level_matrix(frame, SCHEMA, FW, "fr")
    (trace,) = fig.data
    assert trace.type == "heatmap"
    assert list(trace.x) == [lv.label_fr for lv in FW.levels]
    assert list(trace.y) == ["Atelier", "Enquête"]  # the contract's order, only those present
    assert trace.z.tolist() == [[2, 0, 0, 0, 1], [0, 4, 0, 0, 0]]
    assert trace.text.tolist()[0] == ["2", "", "", "", "1"]
    assert fig.layout.xaxis.title.text == "Degré d'engagement"
    en = method_level_matrix(frame, SCHEMA, FW, "en")
    assert list(en.data[0].y) == ["Workshop", "Survey"] and list(en.data[0].x)[-1] == "Co-decision"
    assert en.layout.xaxis.title.text == "Degree of engagement"


def test_stakeholder_mix_uses_the_contract_titles(small_con):
    row = lyon_2024(small_con)
    fig = stakeholder_mix(row, SCHEMA, "fr")
    (trace,) = fig.data
    assert trace.orientation == "h"
    assert list(trace.y) == ["Citoyens", "Entreprises", "Recherche", "Associations", "Institutions publiques"]
    assert list(trace.x) == [190, 5, 0, 5, 0]
    assert fig.layout.xaxis.title.text == "Participations" and not fig.layout.annotations
    en = stakeholder_mix(row, SCHEMA, "en")
    assert list(en.data[0].y) == ["Citizens", "Businesses", "Research", "Associations", "Public bodies"]
    nothing = stakeholder_mix(row * 0, SCHEMA, "en")
    assert nothing.layout.annotations[0].text == "Not reported in the selection"


def test_inclusiveness_shows_shares_bases_and_hides_small_counts(small_con):
    row = lyon_2024(small_con)
    assert inclusiveness_reported(row)
    fig = inclusiveness(row, METRICS, small_count, "fr")
    (trace,) = fig.data
    assert list(trace.y) == ["Part de femmes", "Part de moins de 25 ans", "Part de nouveaux participants"]
    assert [round(x, 6) for x in trace.x] == [52, 13, 50]
    assert trace.text[0] == "52,0 % (52 / 100)" and trace.customdata[0] == "52 sur 100 participations renseignées"
    assert trace.text[2] == "50,0 % (80 / 160)"
    assert "< 5" in fig.layout.title.subtitle.text
    assert fig.layout.xaxis.title.text == "Part des participations renseignées (%)"
    small = row.copy()
    small[["under_25", "under_25_base", "under_25_share"]] = [3, 40, 3 / 40]
    small[["newcomers", "newcomers_base", "newcomer_rate"]] = [0, 0, float("nan")]
    en = inclusiveness(small, METRICS, small_count, "en")
    assert list(en.data[0].y) == ["Women's share", "Under-25 share", "Newcomer rate"]
    assert en.data[0].text[1] == "7.5 % (< 5 / 40)" and en.data[0].customdata[1] == "< 5 of 40 participations reported"
    assert en.data[0].text[2] == "not reported"
    assert en.layout.xaxis.title.text == "Share of the participations reported (%)"
    bases = ["women_base", "under_25_base", "newcomers_base"]
    assert not inclusiveness_reported(row.copy().where(~row.index.isin(bases), 0))


def test_city_trend_keeps_levels_in_order_and_colour(small_con):
    trend = run(small_con, "city_trend_by_level", params(city=LYON))
    fig = trend_by_level(trend, FW, "activities", "month", "fr")
    assert [t.name for t in fig.data] == [lv.label_fr for lv in FW.levels]
    assert [t.marker.color for t in fig.data] == [lv.colour for lv in FW.levels]
    assert list(fig.data[4].y) == [1]  # the co-decision of March


def test_table_shows_labels_and_downloads_are_neutralised(small_con):
    rows = run(small_con, "city_activities", params(city=LYON, search=""))
    table = activities_table(rows, SCHEMA, "fr")
    assert list(table.columns[:4]) == ["Titre", "Date de début", "Méthode", "Niveau d'engagement"]
    first = table.iloc[0]
    assert (first["Méthode"], first["Niveau d'engagement"], first["Format"]) == (
        "Budget participatif",
        "Co-décision",
        "Hybride",
    )
    assert first["Date de début"] == date(2024, 3, 5) and first["Retour public"] == "Oui"
    en = activities_table(rows, SCHEMA, "en")
    assert en.iloc[0]["Activity type"] == "Participatory budget" and en.iloc[0]["Public response"] == "Yes"
    csv = frame_bytes(table, "csv", "fr").decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Titre;Date de début;Méthode")
    assert "'=Consultation énergie 100%" in csv and "2024-03-05" in csv
    assert table["Titre"].tolist()[1] == "=Consultation énergie 100%"  # the shown table is untouched
    book = pd.read_excel(io.BytesIO(frame_bytes(en, "xlsx")), sheet_name=None, engine="calamine")
    (sheet,) = book.values()
    assert sheet["Title"].tolist()[1] == "'=Consultation énergie 100%"
    assert sheet["Participants"].tolist() == [60, 100, 40]


# --- the page ------------------------------------------------------------------------


def figures(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_page_renders_in_french_with_hand_worked_figures(monkeypatch, small_db):
    at = run_app(monkeypatch, small_db, page=PAGE, ville=LYON, **Y2024)
    assert not at.exception
    assert at.title[0].value == "Ville"
    values = {m.label: (m.value, m.delta) for m in at.metric}
    # Lyon: 3 activities, 200 participations; the median of Lyon (3) and Paris (2) is 2,5.
    assert values["Activités"] == ("3", "+20,0 %")
    assert values["Participations"][0] == "200"
    # Adoption: Lyon 15 / 32 = 46,875 %, Paris 4 / 8 = 50 %; median 48,4375 %: −1,5625 points.
    assert values["Taux d'adoption"] == ("46,9 %", "\u22121,6 pt")
    # The arrow and its colour follow the sign (the true minus is not Streamlit's "-").
    arrows = {m.label: (m.proto.direction, m.proto.color) for m in at.metric}
    assert arrows["Activités"] == (MetricProto.MetricDirection.UP, MetricProto.MetricColor.GREEN)
    assert arrows["Taux d'adoption"] == (MetricProto.MetricDirection.DOWN, MetricProto.MetricColor.RED)
    scope = (
        "Écart à la médiane de 2 villes de la mission : les membres qui ont au moins une activité du 1 janv. 2024 "
        "au 31 déc. 2024. Le filtre « Villes » ne s'applique pas à la médiane ; "
        "les villes hors mission n'y comptent pas, et une ville sans population n'entre pas dans la médiane pour 10 000 habitants."
    )
    assert scope in at.metric[0].help and at.caption[1].value == scope
    # The first view: the trend, then the open tab (proposals and methods) only.
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")] == [
        "city_trend",
        "city_funnel",
        "city_matrix",
    ]
    assert not at.dataframe and not at.get("download_button")
    at = run_app(monkeypatch, small_db, page=PAGE, ville=LYON, tab="activities", **Y2024)
    assert at.dataframe[0].value["Titre"].tolist() == [
        "Budget participatif",
        "=Consultation énergie 100%",
        "Atelier vélo",
    ]
    assert [b.label for b in at.get("download_button")] == ["Télécharger en CSV", "Télécharger en XLSX"]
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")] == ["city_trend"]


def test_the_median_says_what_it_covers_whatever_the_city_filter(monkeypatch, small_db):
    """The sidebar's city filter does not narrow the median (Lyon is set against every
    mission city): the caption says so, with the number of cities and the other filters."""
    at = run_app(monkeypatch, small_db, page=PAGE, ville=LYON, city=[LYON], method=["atelier"], **Y2024)
    assert not at.exception
    scope = [c.value for c in at.caption if c.value.startswith("Écart")]
    assert scope == [
        "Écart à la médiane de 2 villes de la mission : les membres qui ont au moins une activité du 1 janv. 2024 "
        "au 31 déc. 2024 (méthodes : Atelier). Le filtre « Villes » ne s'applique pas à la médiane ; "
        "les villes hors mission n'y comptent pas, et une ville sans population n'entre pas dans la médiane pour 10 000 habitants."
    ]
    at = run_app(monkeypatch, small_db, page=PAGE, ville=LYON, lang="en", country=["FR"], **Y2024)
    scope = [c.value for c in at.caption if c.value.startswith("Difference")]
    assert scope == [
        "Difference from the median of 2 cities of the mission: the members with at least one activity from 1 Jan 2024 "
        "to 31 Dec 2024 (countries: France). The “Cities” filter does not apply to the median; "
        "cities outside the mission do not count, and a city without a population stays out of the per-10,000 median."
    ]


def test_only_the_open_tab_runs_and_the_url_keeps_it(monkeypatch, small_db):
    at = run_app(monkeypatch, small_db, page=PAGE, ville=LYON, tab="people", **Y2024)
    assert not at.exception
    charts = [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    assert charts == ["city_trend", "city_stakeholders", "city_inclusiveness"]
    assert at.query_params["tab"] == "people"
    at = run_app(monkeypatch, small_db, page=PAGE, ville=LYON, tab="<script>", **Y2024)
    assert not at.exception and "tab" not in at.query_params  # unknown: the first tab, left out of the URL
    assert len(at.get("plotly_chart")) == 3


def test_page_renders_in_english(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, lang="en", tab="activities")
    assert "Activity type" in at.dataframe[0].value.columns
    at = run_app(monkeypatch, demo_db, page=PAGE, lang="en")
    assert not at.exception
    assert at.title[0].value == "City"
    assert [m.label for m in at.metric][:2] == ["Activities", "Participations"]
    assert "difference from the median" in at.caption[1].value.lower()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs[0]["layout"]["title"]["text"] == "Activities by month and degree of engagement"
    assert specs[1]["data"][0]["y"] == ["Participations", "Proposals received", "Proposals adopted"]


def test_default_city_has_the_most_participations_then_the_sidebar_filter(monkeypatch, demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    top = con.execute(
        "SELECT code_ville FROM activities GROUP BY 1 ORDER BY sum(nb_participants) DESC LIMIT 1"
    ).fetchone()[0]
    con.close()
    at = run_app(monkeypatch, demo_db, page=PAGE)
    assert at.selectbox(key="city_city").value == top
    assert at.query_params["ville"] == top
    at = run_app(monkeypatch, demo_db, page=PAGE, city=[LYON, PARIS])
    assert at.selectbox(key="city_city").value == LYON


def test_choosing_a_city_changes_the_figures_and_the_url(monkeypatch, small_db):
    at = run_app(monkeypatch, small_db, page=PAGE, ville=LYON, tab="people", **Y2024)
    at.selectbox(key="city_city").set_value(PARIS).run()
    assert not at.exception
    assert figures(at)["Participations"] == "350"
    assert at.query_params["ville"] == PARIS
    assert at.caption[0].value.startswith("Paris :")
    assert "ne renseigne ni le nombre de femmes" in at.info[0].body  # Paris reports no inclusiveness


def test_a_sidebar_filter_changes_the_figures(monkeypatch, small_db):
    assert figures(run_app(monkeypatch, small_db, page=PAGE, ville=LYON, **Y2024))["Activités"] == "3"
    at = run_app(monkeypatch, small_db, page=PAGE, ville=LYON, method="atelier", tab="people", **Y2024)
    assert figures(at)["Activités"] == "1" and figures(at)["Participations"] == "40"
    inclusion = json.loads(at.get("plotly_chart")[2].proto.spec)["data"][0]
    assert inclusion["text"][1] == "7,5 % (< 5 / 40)"


def test_a_deep_link_restores_the_city(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, ville=PARIS, lang="en", tab="activities")
    assert at.selectbox(key="city_city").value == PARIS
    assert at.caption[0].value.startswith("Paris:")
    shown = at.dataframe[0].value
    con = duckdb.connect(str(demo_db), read_only=True)
    assert len(shown) == con.execute("SELECT count(*) FROM activities WHERE code_ville = ?", [PARIS]).fetchone()[0]
    con.close()


def test_an_unknown_city_in_the_link_falls_back_silently(monkeypatch, small_db):
    at = run_app(monkeypatch, small_db, page=PAGE, ville="<script>", **Y2024)
    assert not at.exception and not at.error
    assert at.selectbox(key="city_city").value == PARIS  # the most participations in 2024
    assert at.query_params["ville"] == PARIS


def test_search_filters_the_table(monkeypatch, small_db):
    at = run_app(monkeypatch, small_db, page=PAGE, ville=LYON, tab="activities", **{"from": "2023-01-01"})
    assert len(at.dataframe[0].value) == 4
    at.text_input(key="city_search").input("VÉLO").run()
    assert sorted(at.dataframe[0].value["Titre"]) == ["Atelier vélo", "atelier VÉLO bis"]
    assert at.caption[-1].value == "2 activités affichées"
    assert figures(at)["Activités"] == "4"  # the search narrows the table only


def test_a_city_without_activity_in_the_selection_says_so(monkeypatch, small_db):
    at = run_app(monkeypatch, small_db, page=PAGE, ville=NANTES, **Y2024)
    assert not at.exception
    assert at.selectbox(key="city_city").value == NANTES  # still there, to pick another
    assert "Aucune activité ne correspond" in at.info[0].body
    assert not at.metric and not at.dataframe


def test_an_empty_period_says_so(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, **{"from": "2015-01-01", "to": "2015-02-01"})
    assert not at.exception
    assert "Aucune activité ne correspond" in at.info[0].body
    assert not at.metric


def test_an_empty_database_says_how_to_load(monkeypatch, tmp_path):
    db = tmp_path / "empty.duckdb"
    open_database(db).close()
    at = run_app(monkeypatch, db, page=PAGE)
    assert not at.exception
    assert "python -m etl load" in at.info[0].body
