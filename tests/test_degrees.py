"""The Degrees of engagement page: the lens helper, its SQL, its chart builders, and the
page itself (AppTest on the demo database)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from charts.degrees import (
    MAX_CITY_LINES,
    adoption_by_level,
    depth_over_time,
    lens_correspondence,
    lens_distribution,
    quarter_label,
)
from etl.db import open_database
from etl.load import load_file
from etl.paths import FRAMEWORKS_DIR
from etl.schema import load_framework
from queries import framework_params, prepare, run
from queries.lenses import BASE, equivalents, lens, lenses, to_lens
from queries.metrics import METRICS, total
from queries.selection import Selection
from tests.conftest import run_app

PAGE = "app_pages/degrees.py"
FW = load_framework()
LEVELS = [lv.code for lv in FW.levels]


# --- queries/lenses.py ------------------------------------------------------------------


def test_the_base_scale_is_the_first_lens_then_the_file_s_lenses():
    found = lenses(FW)
    assert [item["id"] for item in found] == [BASE, "iap2", "arnstein"]
    base = found[0]
    assert [c["code"] for c in base["categories"]] == LEVELS
    assert [c["colour"] for c in base["categories"]] == [lv.colour for lv in FW.levels]
    assert base["categories"][4]["label"] == {"fr": "Co-décision", "en": "Co-decision"}
    assert base["title"]["fr"] == "Échelle de la participation"


def test_lens_categories_come_in_the_file_s_order_with_the_levels_they_cover():
    arnstein = lens(FW, "arnstein")
    assert arnstein["title"] == {"fr": "Échelle d'Arnstein", "en": "Arnstein's ladder"}
    assert [(c["code"], c["levels"]) for c in arnstein["categories"]] == [
        ("tokenism", ["information", "consultation", "concertation"]),
        ("citizen_power", ["co_construction", "co_decision"]),
    ]
    assert arnstein["categories"][1]["label"]["en"] == "Citizen power"
    assert arnstein["categories"][1]["colour"] == "#3B528B"
    assert [c["code"] for c in lens(FW, "iap2")["categories"]] == [
        "inform",
        "consult",
        "involve",
        "collaborate",
        "empower",
    ]


def test_unknown_lens_is_refused():
    with pytest.raises(ValueError, match="unknown lens"):
        lens(FW, "nope")


def test_equivalents_of_a_level_in_each_other_lens():
    assert equivalents(FW, "co_decision", "fr") == [
        ("Spectre de l'IAP2", "Habiliter"),
        ("Échelle d'Arnstein", "Pouvoir effectif des citoyens"),
    ]
    assert equivalents(FW, "information", "en") == [("IAP2 spectrum", "Inform"), ("Arnstein's ladder", "Tokenism")]


def levels_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["Lyon", "Lyon", "Lyon", "Paris"],
            "city_code": ["69123", "69123", "69123", "75056"],
            "level": ["co_decision", "information", "co_construction", "consultation"],
            "activities": [1, 2, 3, 4],
            "participations": [10, 20, 30, 40],
        }
    )


def test_to_lens_sums_the_levels_of_each_category():
    out = to_lens(levels_frame(), FW, "arnstein")
    assert list(out.columns) == ["city", "city_code", "category", "activities", "participations"]
    assert out.to_dict("records") == [
        {"city": "Lyon", "city_code": "69123", "category": "tokenism", "activities": 2, "participations": 20},
        {"city": "Lyon", "city_code": "69123", "category": "citizen_power", "activities": 4, "participations": 40},
        {"city": "Paris", "city_code": "75056", "category": "tokenism", "activities": 4, "participations": 40},
    ]


def test_to_lens_on_the_base_scale_keeps_the_levels_in_rank_order():
    out = to_lens(levels_frame(), FW, BASE)
    assert out["category"].tolist() == ["information", "co_construction", "co_decision", "consultation"]
    assert out["activities"].sum() == 10
    iap2 = to_lens(levels_frame().rename(columns={"level": "niveau"}), FW, "iap2", level_column="niveau")
    assert iap2["category"].tolist() == ["inform", "collaborate", "empower", "consult"]


def test_to_lens_of_nothing_is_an_empty_frame():
    out = to_lens(levels_frame().iloc[:0], FW, "iap2")
    assert out.empty
    assert list(out.columns) == ["city", "city_code", "category", "activities", "participations"]


def framework_copy(tmp_path: Path, change) -> Path:
    raw = json.loads((FRAMEWORKS_DIR / "echelle_participation.json").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def add_binary_lens(raw: dict) -> None:
    raw["lenses"].append(
        {
            "id": "binary",
            "title": {"fr": "Deux marches", "en": "Two steps"},
            "source": {"fr": "Test.", "en": "Test."},
            "categories": [
                {"code": "listen", "label": {"fr": "Écouter", "en": "Listen"}, "colour": "#AAAAAA"},
                {"code": "share", "label": {"fr": "Partager", "en": "Share"}, "colour": "#222222"},
            ],
        }
    )
    for level in raw["levels"]:
        level["equivalents"]["binary"] = "listen" if level["rank"] <= 2 else "share"


def test_a_lens_added_to_the_framework_file_appears_with_no_code_change(tmp_path):
    framework = load_framework(framework_copy(tmp_path, add_binary_lens))
    assert [item["id"] for item in lenses(framework)] == [BASE, "iap2", "arnstein", "binary"]
    assert lens(framework, "binary")["categories"][1]["levels"] == ["concertation", "co_construction", "co_decision"]
    out = to_lens(levels_frame(), framework, "binary")
    assert out[["city", "category", "activities"]].values.tolist() == [
        ["Lyon", "listen", 2],
        ["Lyon", "share", 4],
        ["Paris", "listen", 4],
    ]
    assert ("Deux marches", "Partager") in equivalents(framework, "co_decision", "fr")
    fig = lens_distribution(out, lens(framework, "binary"), "activities", "en")
    assert [(t.name, t.marker.color) for t in fig.data] == [("Listen", "#AAAAAA"), ("Share", "#222222")]
    rows = {bar.y[0] for bar in lens_correspondence(lenses(framework), framework, "fr").data}
    assert "Deux marches" in rows


def test_a_lens_that_leaves_a_level_out_is_not_offered(tmp_path):
    def leave_one_out(raw):
        add_binary_lens(raw)
        del raw["levels"][0]["equivalents"]["binary"]

    framework = load_framework(framework_copy(tmp_path, leave_one_out))
    assert [item["id"] for item in lenses(framework)] == [BASE, "iap2", "arnstein"]


# --- queries/sql/degrees_*.sql ------------------------------------------------------------

HEADER = (
    "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;"
    "nb_propositions_retenues;nb_propositions_recues"
)
ROWS = [
    "L1;Lyon;a;2024-01-10;atelier;information;1;10;0;",
    "L2;Lyon;b;2024-02-10;atelier;co_decision;1;30;5;10",
    "L3;Lyon;c;2024-04-05;atelier;consultation;1;20;2;8",
    "P1;Paris;d;2024-01-20;atelier;concertation;1;40;3;",
    "P2;Paris;e;2024-05-01;atelier;co_decision;1;0;0;0",
    "P3;Paris;f;2024-03-01;atelier;consultation;2;50;4;20",
]


@pytest.fixture
def small_db(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    con = open_database(tmp_path / "small.duckdb")
    assert load_file(con, path).status == "loaded"
    yield prepare(con)
    con.close()


def params(**extra) -> dict:
    return Selection(date(2024, 1, 1), date(2024, 12, 31)).params() | framework_params() | {"lang": "fr"} | extra


def test_depth_by_quarter_for_the_selection(small_db):
    out = run(small_db, "degrees_depth_by_quarter", params(per_city=False))
    assert out["city_code"].isna().all()
    assert out["period"].dt.date.tolist() == [date(2024, 1, 1), date(2024, 4, 1)]
    # Q1: 10×1 + 30×5 + 40×3 + 50×2 = 380 over 130 participations; Q2: 20×2 + 0×5 = 40 over 20.
    assert out["participations"].tolist() == [130, 20]
    assert out["depth_weighted"].tolist() == [380, 40]
    assert METRICS["depth_index"].compute(out).tolist() == pytest.approx([380 / 130, 2.0])


def test_depth_by_quarter_per_city(small_db):
    out = run(small_db, "degrees_depth_by_quarter", params(per_city=True))
    cities = out[out["city_code"].notna()]
    got = {(r.city, r.period.month): (r.participations, r.depth_weighted) for r in cities.itertuples()}
    assert got == {("Lyon", 1): (40, 160), ("Lyon", 4): (20, 40), ("Paris", 1): (90, 220), ("Paris", 4): (0, 0)}
    assert out["city_code"].isna().sum() == 2
    index = METRICS["depth_index"].compute(cities)
    assert index[cities["city"].eq("Lyon") & cities["period"].dt.month.eq(1)].item() == 4.0
    assert index[cities["city"].eq("Paris") & cities["period"].dt.month.eq(4)].isna().all()


def test_depth_by_quarter_follows_the_city_filter(small_db):
    out = run(small_db, "degrees_depth_by_quarter", params(per_city=True, cities=["69123"]))
    assert set(out["city"].dropna()) == {"Lyon"}
    assert out.loc[out["city_code"].isna(), "participations"].tolist() == [40, 20]


def test_adoption_by_level(small_db):
    out = run(small_db, "degrees_adoption_by_level", params())
    assert out["level"].tolist() == LEVELS
    assert out["rank"].tolist() == [1, 2, 3, 4, 5]
    assert out["activities"].tolist() == [1, 2, 1, 0, 2]
    assert out["activities_reporting_received"].tolist() == [0, 2, 0, 0, 2]
    assert out["proposals_received"].tolist() == [0, 28, 0, 0, 10]
    assert out["proposals_adopted"].tolist() == [0, 6, 3, 0, 5]
    # P1 adopted 3 without saying how many it received: not in the rate.
    assert out["adopted_where_received"].tolist() == [0, 6, 0, 0, 5]
    rate = METRICS["adoption_rate"].compute(out)
    assert rate.isna().tolist() == [True, False, True, True, False]
    assert rate[[1, 4]].tolist() == pytest.approx([6 / 28, 0.5])


def test_adoption_by_level_adds_up_to_the_key_figure(small_db):
    """The same definition as the `adoption_rate` key figure: the levels add up to it."""
    out = run(small_db, "degrees_adoption_by_level", params())
    cities = run(small_db, "aggregates_by_city", params())
    whole = out["adopted_where_received"].sum() / out["proposals_received"].sum()
    assert total(cities)["adoption_rate"] == pytest.approx(whole) == pytest.approx(11 / 38)


# --- charts/degrees.py ------------------------------------------------------------------


def test_lens_correspondence_draws_each_category_over_the_levels_it_covers():
    fig = lens_correspondence(lenses(FW), FW, "fr")
    bars = [(b.y[0], b.text[0], b.base[0], b.x[0], b.marker.color) for b in fig.data]
    assert len(bars) == 5 + 5 + 2
    assert bars[:5] == [
        ("Échelle de la participation", f"{lv.rank} · {lv.label('fr')}", lv.rank - 1, 1, lv.colour) for lv in FW.levels
    ]
    assert bars[-2:] == [
        ("Échelle d'Arnstein", "Coopération symbolique", 0, 3, "#5EC962"),
        ("Échelle d'Arnstein", "Pouvoir effectif des citoyens", 3, 2, "#3B528B"),
    ]
    assert fig.layout.title.text == "Correspondances entre les échelles"
    en = lens_correspondence(lenses(FW), FW, "en")
    assert en.layout.title.text == "How the scales correspond"
    assert en.data[5].y[0] == "IAP2 spectrum" and en.data[5].text[0] == "Inform"


def shares_frame() -> pd.DataFrame:
    return to_lens(levels_frame(), FW, BASE)


def test_lens_distribution_bars_in_the_lens_order_and_colours():
    fig = lens_distribution(shares_frame(), lens(FW, BASE), "activities", "fr")
    assert [t.name for t in fig.data] == [lv.label("fr") for lv in FW.levels]
    assert [t.marker.color for t in fig.data] == [lv.colour for lv in FW.levels]
    assert all(t.orientation == "h" for t in fig.data)
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.title.text == "Part des activités (%)"
    assert fig.layout.title.text == "Activités par ville — Échelle de la participation"
    # Lyon (2 of 6 activities in co-decision…) is deeper than Paris: on top, i.e. last.
    assert list(fig.data[0].y) == ["Paris", "Lyon"]
    lyon = [t.x[1] for t in fig.data]
    assert sum(lyon) == pytest.approx(100)
    assert lyon[4] == pytest.approx(100 / 6)


def test_lens_distribution_in_english_by_participations():
    arnstein = lens(FW, "arnstein")
    fig = lens_distribution(to_lens(levels_frame(), FW, "arnstein"), arnstein, "participations", "en")
    assert [t.name for t in fig.data] == ["Tokenism", "Citizen power"]
    assert fig.layout.xaxis.title.text == "Share of participations (%)"
    assert fig.layout.title.text == "Participations by city — Arnstein's ladder"
    assert fig.data[1].x[list(fig.data[1].y).index("Lyon")] == pytest.approx(40 / 60 * 100)


def depth_frame(cities: int) -> pd.DataFrame:
    periods = pd.to_datetime(["2024-01-01", "2024-04-01"])
    rows = [{"period": p, "city_code": None, "city": None, "participations": 100, "depth_index": 3.0} for p in periods]
    rows += [
        {"period": p, "city_code": f"c{i}", "city": f"City {i}", "participations": 10, "depth_index": 2.0 + i / 10}
        for i in range(cities)
        for p in periods
    ]
    return pd.DataFrame(rows)


def test_depth_over_time_whole_selection_and_thin_city_lines():
    fig = depth_over_time(depth_frame(3), FW, "fr")
    assert [t.name for t in fig.data] == ["City 0", "City 1", "City 2", "Toute la sélection"]
    assert fig.data[-1].line.width > fig.data[0].line.width
    assert list(fig.layout.yaxis.tickvals) == [1, 2, 3, 4, 5]
    assert list(fig.layout.yaxis.ticktext) == [f"{lv.rank} · {lv.label('fr')}" for lv in FW.levels]
    assert fig.layout.yaxis.range[0] < 1 and fig.layout.yaxis.range[1] > 5
    assert fig.layout.yaxis.title.text == "Indice de profondeur"
    assert fig.layout.xaxis.title.text == "Trimestre"
    assert list(fig.layout.xaxis.ticktext) == ["T1 2024", "T2 2024"]
    assert fig.layout.shapes[0].y0 == 3.5  # the co-creation band starts below co-construction


def test_depth_over_time_in_english_without_too_many_cities():
    fig = depth_over_time(depth_frame(MAX_CITY_LINES + 1), FW, "en")
    assert [t.name for t in fig.data] == ["Whole selection"]
    assert fig.layout.title.text == "Depth index by quarter"
    assert fig.layout.yaxis.ticktext[4] == "5 · Co-decision"
    assert list(fig.layout.xaxis.ticktext) == ["Q1 2024", "Q2 2024"]
    assert quarter_label(date(2025, 11, 3), "fr") == "T4 2025"


def adoption_frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "level": LEVELS[::-1],  # the chart puts them back in rank order
            "proposals_received": [10, 0, 0, 28, 0],
            "proposals_adopted": [5, 0, 3, 6, 0],
            "adopted_where_received": [5, 0, 0, 6, 0],
            "activities_reporting_received": [2, 0, 0, 2, 0],
        }
    )
    return frame.assign(adoption_rate=METRICS["adoption_rate"].compute(frame))


def test_adoption_by_level_bars_in_rank_order_and_colours():
    fig = adoption_by_level(adoption_frame(), FW, "fr")
    bar = fig.data[0]
    assert list(bar.x) == ["Consultation", "Co-décision"]  # the other levels received nothing
    assert list(bar.y) == pytest.approx([100 * 6 / 28, 50.0])
    assert list(bar.marker.color) == [FW.level("consultation").colour, FW.level("co_decision").colour]
    assert bar.customdata.tolist() == [[28, 6, 6, 2], [10, 5, 5, 2]]
    assert "Propositions reçues" in bar.hovertemplate
    assert list(fig.layout.xaxis.categoryarray) == [lv.label("fr") for lv in FW.levels]
    assert [a.x for a in fig.layout.annotations] == ["Information", "Concertation", "Co-construction"]
    assert fig.layout.annotations[0].text == "aucune proposition reçue"
    assert fig.layout.yaxis.title.text == "Taux d'adoption (%)"
    assert fig.layout.xaxis.title.text == "Degré d'engagement"


def test_adoption_by_level_in_english():
    fig = adoption_by_level(adoption_frame(), FW, "en")
    assert fig.layout.title.text == "Adoption rate of proposals by degree of engagement"
    assert fig.layout.yaxis.title.text == "Adoption rate (%)"
    assert "Proposals received" in fig.data[0].hovertemplate
    assert fig.layout.annotations[0].text == "no proposal received"
    assert fig.layout.separators == ".,"


# --- the page ---------------------------------------------------------------------------


def chart(at, key: str) -> dict:
    """The plotly figure (as JSON) of the chart with this key."""
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, key
    return json.loads(found[0].proto.spec)


def cities_of(figure: dict) -> list[str]:
    return list(figure["data"][0]["y"])


def test_page_renders_in_french(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE)
    assert not at.exception
    assert at.title[0].value == "Degrés d'engagement"
    co_creation = "**Co-création** : Co-construction et Co-décision — c'est ce que la mission appelle la co-création."
    assert co_creation in at.markdown.values
    # Each degree's card is one text: its definition, examples, then its equivalents.
    assert any(
        m.endswith("Spectre de l'IAP2 : **Habiliter**  \nÉchelle d'Arnstein : **Pouvoir effectif des citoyens**")
        for m in at.markdown.values
    )
    assert any(":small[Exemples : Budget participatif" in m for m in at.markdown.values)
    assert chart(at, "deg_lenses")["layout"]["title"]["text"] == "Correspondances entre les échelles"
    shares = chart(at, "deg_shares")
    assert [t["name"] for t in shares["data"]] == [lv.label("fr") for lv in FW.levels]
    assert len(cities_of(shares)) == 112  # every mission city of the demo
    assert chart(at, "deg_depth")["data"][-1]["name"] == "Toute la sélection"
    assert len(chart(at, "deg_depth")["data"]) == 1  # no city filter: no city lines
    # Only the open tab runs: the adoption of proposals is drawn when its tab is opened.
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")] == ["deg_lenses", "deg_shares", "deg_depth"]
    at = run_app(monkeypatch, demo_db, page=PAGE, tab="adoption")
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")][-1] == "deg_adoption"
    assert chart(at, "deg_adoption")["layout"]["yaxis"]["title"]["text"] == "Taux d'adoption (%)"
    assert any(c.startswith(METRICS["adoption_rate"].definition("fr")) for c in at.caption.values)
    assert at.query_params["tab"] == "adoption"


def test_page_renders_in_english(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, lang="en")
    assert not at.exception
    assert at.title[0].value == "Degrees of engagement"
    assert at.subheader[0].value == "The scale and its equivalents"
    assert any("\n\nIAP2 spectrum: **Empower**  \n" in m for m in at.markdown.values)  # in its degree's card
    lens_control = at.segmented_control(key="deg_lens")
    assert lens_control.options == [
        "Participation scale",
        "IAP2 spectrum",
        "Arnstein's ladder",
    ]
    assert chart(at, "deg_shares")["layout"]["xaxis"]["title"]["text"] == "Share of activities (%)"
    assert chart(at, "deg_depth")["layout"]["yaxis"]["ticktext"][3] == "4 · Co-construction"
    at = run_app(monkeypatch, demo_db, page=PAGE, lang="en", tab="adoption")
    assert chart(at, "deg_adoption")["layout"]["title"]["text"].startswith("Adoption rate")


def test_lens_and_measure_controls_change_the_chart_and_the_url(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE)
    at.segmented_control(key="deg_lens").set_value("arnstein").run()
    at.segmented_control(key="deg_measure").set_value("participations").run()
    assert not at.exception
    shares = chart(at, "deg_shares")
    assert [t["name"] for t in shares["data"]] == ["Coopération symbolique", "Pouvoir effectif des citoyens"]
    assert [t["marker"]["color"] for t in shares["data"]] == ["#5EC962", "#3B528B"]
    assert shares["layout"]["title"]["text"] == "Participations par ville — Échelle d'Arnstein"
    assert at.query_params["lens"] == "arnstein"
    assert at.query_params["measure"] == "participations"
    at.segmented_control(key="deg_lens").set_value(BASE).run()
    assert "lens" not in at.query_params  # the default is left out of the URL


def test_city_filter_narrows_the_charts_and_draws_city_lines(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE)
    at.multiselect(key="flt_city").set_value(["69123", "75056"]).run()
    assert not at.exception
    assert sorted(cities_of(chart(at, "deg_shares"))) == ["Lyon", "Paris"]
    depth = chart(at, "deg_depth")
    assert sorted(t["name"] for t in depth["data"][:-1]) == ["Lyon", "Paris"]
    assert depth["data"][-1]["name"] == "Toute la sélection"
    at = run_app(monkeypatch, demo_db, page=PAGE, tab="adoption")
    before = chart(at, "deg_adoption")["data"][0]["customdata"]
    at.multiselect(key="flt_city").set_value(["69123", "75056"]).run()
    assert chart(at, "deg_adoption")["data"][0]["customdata"] != before


def test_a_deep_link_restores_the_view(monkeypatch, demo_db):
    at = run_app(
        monkeypatch,
        demo_db,
        page=PAGE,
        lang="en",
        lens="iap2",
        measure="participations",
        city=["69123", "PT-lisboa", "PL-warszawa"],
    )
    assert not at.exception
    assert at.segmented_control(key="deg_lens").value == "iap2"
    assert at.segmented_control(key="deg_measure").value == "participations"
    shares = chart(at, "deg_shares")
    assert shares["layout"]["title"]["text"] == "Participations by city — IAP2 spectrum"
    assert [t["name"] for t in shares["data"]] == ["Inform", "Consult", "Involve", "Collaborate", "Empower"]
    assert sorted(cities_of(shares)) == ["Lisbon", "Lyon", "Warsaw"]  # named in English
    assert len(chart(at, "deg_depth")["data"]) == 4


def test_unknown_url_values_fall_back_silently(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, lens="<script>", measure="people")
    assert not at.exception
    assert at.segmented_control(key="deg_lens").value == BASE
    assert at.segmented_control(key="deg_measure").value == "activities"
    assert chart(at, "deg_shares")["layout"]["title"]["text"] == "Activités par ville — Échelle de la participation"


def test_empty_period_shows_the_scale_and_says_how_to_widen(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, page=PAGE, **{"from": "2015-01-01", "to": "2015-02-01"})
    assert not at.exception
    assert "Élargissez la période" in at.info[0].body
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")] == ["deg_lenses"]
