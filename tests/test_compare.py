"""The Compare page: its chart builders, its queries, and the page in AppTest."""

from __future__ import annotations

import base64
import json
import math
from dataclasses import replace
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import queries
from charts.compare import grain_for, intensity_depth, padded_range, panel_grid, ranking, small_multiples
from charts.format import SEPARATORS
from charts.levels import depth_colorscale
from etl.db import open_database
from etl.load import load_file
from etl.schema import load_framework
from queries.metrics import METRICS, compute, median_of_cities
from queries.selection import Selection
from tests.conftest import run_app

PAGE = "app_pages/compare.py"
FW = load_framework()
LEVELS = [lv.code for lv in FW.levels]
COLOURS = [lv.colour for lv in FW.levels]
RANKED = ["activities", "participations", "per_10k", "depth_index"]


# --- chart builders -------------------------------------------------------------------


def trend_frame() -> pd.DataFrame:
    rows = [
        ("2024-01-01", "Lyon", "concertation", 40, 0.77),
        ("2024-01-01", "Lyon", "information", 5, 0.1),
        ("2024-02-01", "Paris", "co_decision", 100, 0.47),
    ]
    frame = pd.DataFrame(rows, columns=["period", "city", "level", "participations", "per_10k"])
    return frame.assign(period=pd.to_datetime(frame["period"]))


def test_grain_is_quarterly_beyond_three_years():
    assert grain_for(date(2022, 1, 1), date(2024, 12, 31)) == "month"
    assert grain_for(date(2022, 1, 1), date(2025, 1, 31)) == "quarter"


def test_panel_grid_keeps_panels_readable():
    assert panel_grid(2) == (1, 2)
    assert panel_grid(4) == (1, 4)
    assert panel_grid(6) == (2, 3)
    assert panel_grid(7) == (2, 4)
    assert panel_grid(9) == (3, 3)
    assert panel_grid(12) == (3, 4)


def test_small_multiples_one_panel_per_city_levels_in_order_and_colours():
    fig = small_multiples(trend_frame(), ["Paris", "Lyon", "Nantes"], FW, "participations", "month", "fr")
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["Paris", "Lyon", "Nantes"]  # Nantes has no rows: still a panel
    assert len(fig.data) == 4 * len(LEVELS)  # the legend's five entries, then five bars per panel
    for panel in range(4):
        traces = fig.data[panel * len(LEVELS) : (panel + 1) * len(LEVELS)]
        assert [t.legendgroup for t in traces] == LEVELS
        assert [t.marker.color for t in traces] == COLOURS
        assert [t.name for t in traces] == [lv.label("fr") for lv in FW.levels]
    legend = [t for t in fig.data if t.showlegend is not False]
    assert legend == list(fig.data[: len(LEVELS)]) and all(list(t.x) == [None] for t in legend)
    lyon_concertation = fig.data[2 * len(LEVELS) + LEVELS.index("concertation")]
    assert list(lyon_concertation.y) == [40]
    assert fig.layout.barmode == "stack"


def test_small_multiples_share_both_axes():
    fig = small_multiples(trend_frame(), ["Paris", "Lyon", "Nantes", "Dijon", "Lille"], FW, "per_10k", "month")
    for axis in ("xaxis", "yaxis"):
        matches = [fig.layout[k].matches for k in fig.layout if k.startswith(axis)]
        assert len(matches) == 6  # 2 rows x 3 columns
        assert matches.count(None) == 1 and len(set(matches) - {None}) == 1  # all follow one axis
    paris_information = fig.data[len(LEVELS)]
    assert list(fig.data[len(LEVELS) + LEVELS.index("co_decision")].y) == [0.47]
    assert "%{y:,.1f}" in paris_information.hovertemplate


def test_small_multiples_titles_in_both_languages():
    fr = small_multiples(trend_frame(), ["Paris", "Lyon"], FW, "participations", "quarter", "fr")
    en = small_multiples(trend_frame(), ["Paris", "Lyon"], FW, "per_10k", "month", "en")
    assert fr.layout.title.text == "Participations par trimestre et degré d'engagement (axes communs)"
    assert (
        en.layout.title.text == "Participations per 10,000 inhabitants by month and degree of engagement (shared axes)"
    )
    assert fr.layout.yaxis.title.text == "Participations"
    assert en.layout.yaxis.title.text == "Particip. / 10,000 inh."
    assert fr.layout.xaxis.title.text == "Trimestre" and en.layout.xaxis2.title.text == "Month"
    assert fr.layout.separators == SEPARATORS["fr"] == ",\u202f" and en.layout.separators == SEPARATORS["en"] == ".,"
    assert en.data[0].name == FW.levels[0].label("en")


def test_ranking_sorts_by_the_measure_with_missing_values_last():
    frame = pd.DataFrame(
        {
            "city": ["Lyon", "Paris", "Dijon", "Angers"],
            "participations": [50, 300, 50, 0],
            "per_10k": [0.96, 1.42, 1.9, np.nan],
        }
    )
    raw = ranking(frame, "participations", ["participations", "per_10k"])
    assert list(raw.columns) == ["rank", "city", "participations", "per_10k"]
    assert raw["city"].tolist() == ["Paris", "Dijon", "Lyon", "Angers"]  # ties by name
    assert raw["rank"].tolist() == [1, 2, 3, 4]
    assert ranking(frame, "per_10k", ["per_10k"])["city"].tolist() == ["Dijon", "Paris", "Lyon", "Angers"]


def test_padded_range_leaves_a_margin_and_respects_the_floor():
    assert padded_range([10, 30], floor=0) == (7, 33)
    assert padded_range([0.5, 1], floor=0, least=1) == (0, 2)
    assert padded_range([], floor=0) == (0, 1)


def scatter_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"city": ["Lyon", "Paris", "Nantes"], "per_10k": [20.0, 60.0, 0.0], "depth_index": [2.5, 4.0, np.nan]}
    )


def test_intensity_depth_points_median_lines_and_colours():
    fig = intensity_depth(scatter_frame(), pd.Series({"per_10k": 30.0, "depth_index": 3.0}), FW, "fr")
    vertical, horizontal, points = fig.data
    assert set(vertical.x) == {30.0} and set(horizontal.y) == {3.0}
    assert vertical.name == "Médiane des villes de la mission" and vertical.showlegend is not False
    assert horizontal.showlegend is False
    assert list(points.text) == ["Lyon", "Paris"]  # Nantes has no participations: no depth
    assert list(points.x) == [20.0, 60.0] and list(points.y) == [2.5, 4.0]
    assert list(points.marker.color) == [2.5, 4.0]
    assert [list(c) for c in points.marker.colorscale] == depth_colorscale(FW)
    assert (points.marker.cmin, points.marker.cmax) == (1, 5)
    x0, x1 = fig.layout.xaxis.range
    y0, y1 = fig.layout.yaxis.range
    assert x0 <= 20 and x1 >= 60 and y0 <= 2.5 and y1 >= 4.0


def test_intensity_depth_quadrants_and_axes_in_both_languages():
    median = pd.Series({"per_10k": 30.0, "depth_index": 3.0})
    fr = intensity_depth(scatter_frame(), median, FW, "fr")
    en = intensity_depth(scatter_frame(), median, FW, "en")
    quadrants_fr = {a.text for a in fr.layout.annotations}
    quadrants_en = {a.text for a in en.layout.annotations}
    assert "<i>intense et profonde</i>" in quadrants_fr and "<i>peu intense et superficielle</i>" in quadrants_fr
    assert "<i>intense and deep</i>" in quadrants_en and "<i>less intense and shallow</i>" in quadrants_en
    top_right = next(a for a in en.layout.annotations if a.text == "<i>intense and deep</i>")
    assert (top_right.x, top_right.y, top_right.xref) == (0.99, 0.99, "x domain")
    assert fr.layout.xaxis.title.text == "Participations pour 10 000 habitants"
    assert en.layout.xaxis.title.text == "Participations per 10,000 inhabitants"
    # the depth axis's title is written level above the plot (sideways it was cut on slides)
    assert "Indice de profondeur (1 = information, 5 = co-décision)" in quadrants_fr
    assert "Depth index (1 = information, 5 = co-decision)" in quadrants_en
    assert fr.layout.title.text == "Intensité et profondeur de la participation"
    assert en.layout.title.text == "Participation intensity and depth"


def test_intensity_depth_without_a_median_draws_no_lines():
    fig = intensity_depth(scatter_frame(), pd.Series({"per_10k": np.nan, "depth_index": np.nan}), FW, "en")
    assert len(fig.data) == 1


# --- queries --------------------------------------------------------------------------

HEADER = (
    "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues"
)
ROWS = [
    "L1;Lyon;a;2024-01-10;atelier;concertation;1;10;0",
    "L2;Lyon;b;2024-01-20;atelier;concertation;2;30;1",
    "L3;Lyon;c;2024-02-05;enquete;information;1;5;0",
    "P1;Paris;d;2024-01-15;atelier;co_decision;1;100;2",
    "P2;Paris;e;2024-05-02;enquete;consultation;1;20;0",
    "W1;Vilnius;f;2024-03-01;enquete;consultation;1;60;0",
]


@pytest.fixture
def small_db(tmp_path):
    con = open_database(tmp_path / "compare.duckdb")
    path = tmp_path / "compare.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    assert load_file(con, path).status == "loaded"
    yield queries.prepare(con)
    con.close()


def params(**selection) -> dict:
    chosen = Selection(date(2024, 1, 1), date(2024, 12, 31), **selection)
    return chosen.params() | queries.framework_params() | {"lang": "fr"}


def test_candidates_most_participations_first(small_db):
    out = queries.run(small_db, "compare_cities_by_participations", params())
    assert out["city"].tolist() == ["Paris", "Vilnius", "Lyon"]  # 120, 60, 45
    assert out["participations"].tolist() == [120, 60, 45]
    assert out["in_city_filter"].all()


def test_candidates_put_the_sidebar_cities_first_without_dropping_the_others(small_db):
    out = queries.run(small_db, "compare_cities_by_participations", params(cities=("69123",)))
    assert out["city"].tolist() == ["Lyon", "Paris", "Vilnius"]
    assert out["in_city_filter"].tolist() == [True, False, False]


def test_candidates_follow_the_country_period_and_method_filters(small_db):
    french = queries.run(small_db, "compare_cities_by_participations", params(countries=("FR",)))
    assert french["city"].tolist() == ["Paris", "Lyon"]
    surveys = queries.run(small_db, "compare_cities_by_participations", params(methods=("enquete",)))
    assert dict(zip(surveys["city"], surveys["participations"], strict=True)) == {"Vilnius": 60, "Paris": 20, "Lyon": 5}
    january = Selection(date(2024, 1, 1), date(2024, 1, 31)).params() | queries.framework_params() | {"lang": "fr"}
    out = queries.run(small_db, "compare_cities_by_participations", january)
    assert dict(zip(out["city"], out["participations"], strict=True)) == {"Paris": 100, "Lyon": 40, "Vilnius": 0}


def test_trend_by_city_level_per_month_and_quarter(small_db):
    month = queries.run(small_db, "compare_trend_by_city_level", params(cities=("69123", "75056")) | {"grain": "month"})
    assert set(month["city"]) == {"Lyon", "Paris"}
    lyon = month[month["city"] == "Lyon"]
    assert lyon[["level", "activities", "participations"]].values.tolist() == [
        ["concertation", 2, 40],
        ["information", 1, 5],
    ]
    assert lyon["period"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02"]
    population = small_db.execute("SELECT population FROM cities WHERE code = '69123'").fetchone()[0]
    assert set(lyon["population"]) == {population}
    quarter = queries.run(small_db, "compare_trend_by_city_level", params(cities=("75056",)) | {"grain": "quarter"})
    assert quarter["period"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-04"]
    assert quarter["participations"].tolist() == [100, 20]


# --- the page -------------------------------------------------------------------------


def spec(at, key: str) -> dict:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.proto.id)
    return json.loads(chart.proto.spec)


def values(array) -> list:
    """A plotly array from a figure's JSON (plain list or typed {dtype, bdata})."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def ranking_table(at) -> pd.DataFrame:
    return at.dataframe[0].value


def ranking_display(at) -> pd.DataFrame:
    """What the user reads: the Styler's formatted values."""
    return pa.ipc.open_stream(at.dataframe[0].proto.arrow_data.styler.display_values).read_pandas()


def top_cities(db, n: int = 6) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT code_ville FROM activities GROUP BY code_ville ORDER BY sum(nb_participants) DESC, any_value(ville) LIMIT ?",
        [n],
    ).fetchall()
    con.close()
    return [r[0] for r in rows]


def test_renders_in_french_with_the_six_biggest_cities(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE)
    assert not at.exception
    assert at.title[0].value == "Comparer des villes"
    chosen = at.multiselect(key="cmp_cities").value
    assert chosen == top_cities(demo_db)
    assert at.query_params["compare"] == chosen
    # The first view: the small multiples, the ranking, then the open tab (level profiles) only.
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")] == ["cmp_multiples", "cmp_ladder"]
    table = ranking_table(at)
    assert table["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    assert table["participations"].is_monotonic_decreasing
    shown = ranking_display(at)
    assert shown["adoption_rate"].str.fullmatch(r"\d+,\d\s%").all()  # 42,3 %
    assert shown["depth_index"].str.contains(",").all()
    assert "\u202f" in shown["participations"].iloc[0]  # 177 826
    multiples = spec(at, "cmp_multiples")
    assert "par trimestre" in multiples["layout"]["title"]["text"]  # the demo spans five years


def test_renders_in_english(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, lang="en", tab="scatter")
    assert not at.exception
    assert at.title[0].value == "Compare cities"
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")] == ["cmp_multiples", "cmp_scatter"]
    assert at.query_params["tab"] == "scatter"  # the open tab stays in the link
    assert at.subheader[0].value == "Ranking"
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["per_10k"]["label"] == METRICS["per_10k"].label("en")
    assert columns["rank"]["label"] == "Rank"
    shown = ranking_display(at)
    assert "," in shown["participations"].iloc[0] and "." in shown["depth_index"].iloc[0]
    scatter = spec(at, "cmp_scatter")
    assert scatter["layout"]["xaxis"]["title"]["text"] == "Participations per 10,000 inhabitants"
    assert "<i>intense and deep</i>" in {a["text"] for a in scatter["layout"]["annotations"]}


def test_sidebar_city_filter_gives_the_default_cities(monkeypatch, demo_db):
    three = ["69123", "75056", "244400404"]
    at = run_app(monkeypatch, demo_db, page=PAGE, city=three)
    assert not at.exception
    assert sorted(at.multiselect(key="cmp_cities").value) == sorted(three)
    assert sorted(ranking_table(at)["city"]) == ["Lyon", "Nantes Métropole", "Paris"]


def test_sidebar_method_filter_changes_the_figures(monkeypatch, demo_db):
    everything = run_app(monkeypatch, demo_db, page=PAGE, compare=["69123", "75056"])
    workshops = run_app(monkeypatch, demo_db, page=PAGE, compare=["69123", "75056"], method="atelier")
    assert not workshops.exception
    all_activities = ranking_table(everything).set_index("city")["activities"]
    workshop_activities = ranking_table(workshops).set_index("city")["activities"]
    assert (workshop_activities < all_activities.reindex(workshop_activities.index)).all()


def test_choosing_cities_and_per_capita_updates_the_view_and_the_url(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE)
    at.multiselect(key="cmp_cities").set_value(["69123", "75056", "13055"]).run()
    assert not at.exception
    assert at.query_params["compare"] == ["69123", "75056", "13055"]
    assert len(ranking_table(at)) == 3
    at.segmented_control(key="cmp_per").set_value("capita").run()
    assert at.query_params["per"] == "capita"
    table = ranking_table(at)
    assert table["per_10k"].is_monotonic_decreasing
    multiples = spec(at, "cmp_multiples")
    assert "pour 10 000 habitants" in multiples["layout"]["title"]["text"]


def test_deep_link_restores_the_view(monkeypatch, demo_db):
    cities = ["PL-warszawa", "69123", "PT-lisboa", "245900428"]
    at = run_app(monkeypatch, demo_db, page=PAGE, compare=cities, per="capita", lang="en")
    assert not at.exception
    assert at.multiselect(key="cmp_cities").value == cities
    assert at.segmented_control(key="cmp_per").value == "capita"
    table = ranking_table(at)
    assert table["per_10k"].is_monotonic_decreasing
    multiples = spec(at, "cmp_multiples")
    assert [a["text"] for a in multiples["layout"]["annotations"]] == table["city"].tolist()  # panels in rank order
    assert {"Warsaw", "Lisbon", "Dunkirk"} <= set(table["city"])  # named in English
    assert "per 10,000 inhabitants" in multiples["layout"]["title"]["text"]


def test_unknown_link_values_fall_back_silently(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, compare=["nowhere", "<b>x</b>"], per="bogus")
    assert not at.exception
    assert at.multiselect(key="cmp_cities").value == top_cities(demo_db)
    assert at.segmented_control(key="cmp_per").value == "raw"
    assert "per" not in at.query_params


def test_fewer_than_two_cities_asks_for_more(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, compare="69123", lang="en")
    assert not at.exception
    assert "at least two cities" in at.info[0].body
    assert not at.get("plotly_chart")


def test_empty_period_shows_the_empty_state(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, **{"from": "2015-01-01", "to": "2015-02-01"})
    assert not at.exception
    assert "Aucune activité ne correspond" in at.info[0].body
    assert not at.get("plotly_chart")


def test_scatter_median_is_over_all_mission_cities(monkeypatch, demo_db):
    chosen = ["69123", "75056", "PL-warszawa"]
    at = run_app(monkeypatch, demo_db, page=PAGE, compare=chosen, tab="scatter")
    scatter = spec(at, "cmp_scatter")
    vertical, horizontal, points = scatter["data"]
    con = queries.prepare(duckdb.connect(str(demo_db), read_only=True))
    everything = Selection(date(2015, 1, 1), date(2100, 1, 1))
    french = queries.framework_params() | {"lang": "fr"}
    aggregates = queries.run(con, "aggregates_by_city", everything.params() | french)
    only_chosen = replace(everything, cities=tuple(chosen))
    chosen_aggregates = queries.run(con, "aggregates_by_city", only_chosen.params() | french)
    con.close()
    median = median_of_cities(aggregates)
    assert values(vertical["x"])[0] == pytest.approx(median["per_10k"])
    assert values(horizontal["y"])[0] == pytest.approx(median["depth_index"])
    assert median["per_10k"] != pytest.approx(median_of_cities(chosen_aggregates)["per_10k"])
    metrics = compute(chosen_aggregates).set_index("city")
    assert sorted(points["text"]) == sorted(metrics.index)
    by_city = dict(zip(points["text"], values(points["x"]), strict=True))
    assert by_city["Lyon"] == pytest.approx(metrics.loc["Lyon", "per_10k"])


def test_a_compared_city_the_options_no_longer_have_does_not_break_the_page(monkeypatch, demo_db):
    """Found by bench/sessions.py under load: the browser sent the widget's cities by
    their labels after a country filter had taken them out of its options (a click
    during the rerun). Streamlit keeps such a label as the value and asks the page's
    format_func for its label on the next run: it must answer for any value."""
    at = run_app(monkeypatch, demo_db, PAGE)
    at.multiselect(key="cmp_cities").set_value(["69123", "Ville disparue"]).run()
    at.segmented_control(key="cmp_per").set_value("capita").run()
    assert not at.exception
    assert "Ville disparue" not in at.query_params.get("compare", [])


def test_a_city_without_a_population_shows_a_dash_and_why(monkeypatch, demo_db):
    """Gozo has no reference population: per 10,000 inhabitants it shows "—", it is left
    out of the intensity chart, and a caption names it and says where to read why."""
    at = run_app(monkeypatch, demo_db, page=PAGE, compare=["69123", "MT-ghawdex"], per="capita")
    assert not at.exception
    table = ranking_table(at).set_index("city")
    assert math.isnan(table.loc["Gozo", "per_10k"]) and table.loc["Lyon", "per_10k"] > 0
    shown = ranking_display(at).set_index("city")
    assert shown.loc["Gozo", "per_10k"] == "—" and at.dataframe[0].proto.placeholder == "—"  # as the browser shows it
    assert any("Sans population de référence" in c and "Gozo" in c for c in at.caption.values)
    at = run_app(monkeypatch, demo_db, page=PAGE, compare=["69123", "MT-ghawdex"], tab="scatter")
    assert spec(at, "cmp_scatter")["data"][-1]["text"] == ["Lyon"]


def test_the_ranking_shows_names_whole(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, compare=["200040715", "BE-bruxelles-capitale", "69123"])
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["city"]["width"] >= 8 * len("Région de Bruxelles-Capitale")


def test_a_country_filter_that_drops_a_compared_city_says_which_and_why(monkeypatch, demo_db):
    """Munich, Paris and Lyon compared, then the sidebar's country filter set to France: Munich
    leaves the comparison and the page names it, with its country and the way back."""
    at = run_app(monkeypatch, demo_db, page=PAGE, compare=["DE-munchen", "75056", "69123"])
    assert not [i for i in at.info if "Retirée" in i.body]
    at.sidebar.multiselect(key="flt_country").set_value(["FR"]).run()
    assert not at.exception
    notes = [i.body for i in at.info if "comparaison" in i.body]
    assert notes == [
        "Retirée de la comparaison par le filtre « Pays » (France) : Munich (Allemagne). "
        "Élargissez ce filtre pour la comparer à nouveau."
    ]
    assert at.query_params["compare"] == ["75056", "69123"]
    at.segmented_control(key="cmp_per").set_value("capita").run()  # still said on the next run
    assert [i.body for i in at.info if "comparaison" in i.body] == notes
    at.multiselect(key="cmp_cities").set_value(["75056", "69123", "13055"]).run()  # a new choice: said once
    assert not [i for i in at.info if "comparaison" in i.body]
    # A link with the filter and the city says it too, in English.
    at = run_app(monkeypatch, demo_db, page=PAGE, compare=["DE-munchen", "75056", "69123"], country=["FR"], lang="en")
    assert [i.body for i in at.info if "comparison" in i.body] == [
        "Left out of the comparison by the “Countries” filter (France): Munich (Germany). Widen the filter to compare it again."
    ]


def test_a_group_filter_that_drops_a_compared_city_names_the_group(monkeypatch, demo_db):
    """Istanbul (an associated country) compared with Paris and Lyon, then the EU group
    chosen: Istanbul leaves the comparison and the note names the group filter."""
    at = run_app(monkeypatch, demo_db, page=PAGE, compare=["TR-istanbul", "75056", "69123"], group=["EU"])
    assert not at.exception
    notes = [i.body for i in at.info if "comparaison" in i.body]
    assert len(notes) == 1 and "Istanbul (Turquie)" in notes[0] and "Groupe de pays" in notes[0]
    assert at.query_params["compare"] == ["75056", "69123"]
