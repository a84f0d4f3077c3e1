"""AppTest for every page: a smoke test over all pages, and behaviour tests."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from charts.format import escape_markdown
from etl.db import open_database
from tests.conftest import ROOT, run_app

PAGES = [f"app_pages/{name}.py" for name in ("overview", "city", "compare", "degrees", "followup", "data")]


def app(monkeypatch, db, **query):
    return run_app(monkeypatch, db, **query)


def test_no_pages_folder():
    """Streamlit runs a `pages/` folder in its legacy mode for the first session after
    a start when that session opens a page's URL: the page would run without
    dashboard.py (no sidebar, no role checks). Pages live in app_pages/."""
    assert not (ROOT / "pages").exists()


def test_every_page_file_is_registered_in_the_frame():
    frame = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    files = {p.name for p in (ROOT / "app_pages").glob("*.py")}
    assert {f for f in files if f'page("{f}"' not in frame} == set()
    assert {p.split("/")[-1] for p in PAGES} <= files


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(monkeypatch, demo_db, page):
    at = run_app(monkeypatch, demo_db, page=page)
    assert not at.exception
    assert at.title


def test_overview_figures_are_the_database_totals(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db)
    con = duckdb.connect(str(demo_db), read_only=True)
    activities, participations = con.execute("SELECT count(*), sum(nb_participants) FROM activities").fetchone()
    con.close()
    values = {m.label: m.value for m in at.metric}
    assert values["Activités"] == f"{activities:,}".replace(",", "\u202f")
    assert values["Participations"] == f"{participations:,}".replace(",", "\u202f")
    assert "pas des personnes uniques" in next(m for m in at.metric if m.label == "Participations").help
    assert "Calcul" in next(m for m in at.metric if m.label == "Taux d'adoption").help
    assert any("Données de démonstration" in w.body for w in at.warning)


def test_english_from_the_url(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, lang="en")
    assert at.title[0].value == "Overview"
    assert [m.label for m in at.metric][:3] == ["Activities", "Sessions", "Participations"]
    assert "," in at.metric[0].value
    assert any("Demo data" in w.body for w in at.warning)


def test_language_switch_updates_the_url(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db)
    at.sidebar.segmented_control[0].set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.title[0].value == "Overview"


def test_hostile_language_parameter_falls_back_to_french(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, lang="<script>alert(1)</script>")
    assert not at.exception
    assert at.title[0].value == "Vue d'ensemble"


def test_empty_database_says_how_to_load(monkeypatch, tmp_path):
    db = tmp_path / "empty.duckdb"
    open_database(db).close()
    at = app(monkeypatch, db)
    assert not at.exception
    assert "python -m etl load" in at.info[0].body
    assert not at.warning  # no demo banner on an empty, real database


def test_unprepared_database_is_explained_and_left_untouched(monkeypatch, tmp_path):
    db = tmp_path / "bare.duckdb"
    duckdb.connect(str(db)).close()  # a DuckDB file that no load has prepared (maybe another program's)
    at = app(monkeypatch, db)
    assert not at.exception
    assert "python -m etl" in at.error[0].body
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0] == 0
    con.close()


def test_clicking_the_active_language_keeps_it(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, lang="en")
    at.sidebar.segmented_control[0].set_value(None).run()
    assert at.title[0].value == "Overview"
    assert at.query_params["lang"] == "en"


def test_missing_database_is_explained(monkeypatch, tmp_path):
    at = app(monkeypatch, tmp_path / "absent.duckdb")
    assert not at.exception
    assert "python -m etl demo" in at.error[0].body


def test_a_new_load_shows_on_the_next_rerun(monkeypatch, demo_copy, write_csv):
    at = app(monkeypatch, demo_copy)
    before = next(m.value for m in at.metric if m.label == "Activités")
    con = open_database(demo_copy)
    from etl.load import load_file

    header = "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues"
    lines = [f"NEW-{i};Lyon;x;2024-03-14;atelier;concertation;1;10;0" for i in range(7)]
    assert load_file(con, write_csv("new.csv", "\n".join([header, *lines]) + "\n")).status == "loaded"
    con.close()
    at.run()
    after = next(m.value for m in at.metric if m.label == "Activités")
    assert int(after.replace("\u202f", "")) == int(before.replace("\u202f", "")) + 7


def metric_value(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_filter_changes_the_figures_and_lands_in_the_url(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db)
    everything = metric_value(at, "Activités")
    at.sidebar.multiselect(key="flt_city").set_value(["69123"]).run()
    lyon = metric_value(at, "Activités")
    assert int(lyon.replace("\u202f", "")) < int(everything.replace("\u202f", ""))
    value = at.query_params["city"]  # AppTest gives a lone value as a string
    assert (value if isinstance(value, list) else [value]) == ["69123"]


def test_a_deep_link_restores_the_view(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, city=["69123"], **{"from": "2024-01-01", "to": "2024-12-31"})
    con = duckdb.connect(str(demo_db), read_only=True)
    expected = con.execute(
        "SELECT count(*) FROM activities WHERE code_ville = '69123' AND date_debut BETWEEN '2024-01-01' AND '2024-12-31'"
    ).fetchone()[0]
    con.close()
    assert int(metric_value(at, "Activités").replace("\u202f", "")) == expected
    assert at.sidebar.multiselect(key="flt_city").value == ["69123"]
    assert at.sidebar.date_input(key="flt_period").value == (date(2024, 1, 1), date(2024, 12, 31))
    assert any(m.delta for m in at.metric)  # 2023 exists: a change against the previous period


def test_unknown_link_parameters_are_ignored_with_a_notice(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, city=["' OR 1=1 --"], method=["<img src=x onerror=alert(1)>"])
    assert not at.exception
    notice = at.sidebar.warning[0].body
    assert "\\' OR 1\\=1 \\-\\-" in notice and "Paramètres d'adresse ignorés" in notice  # escaped: shown as typed


def test_empty_selection_says_how_to_widen(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, **{"from": "2015-01-01", "to": "2015-02-01"})
    assert not at.exception
    assert "Élargissez la période" in at.info[0].body


# Every chart of every page (and of each tab): its one-sentence summary as its accessible
# name and under it, and an expander that, opened, shows its data and four downloads.
CHART_VIEWS = [
    ("app_pages/overview.py", {}, ["map", "ladder", "trend"]),
    ("app_pages/city.py", {}, ["city_trend", "city_funnel", "city_matrix"]),
    ("app_pages/city.py", {"tab": "people"}, ["city_trend", "city_stakeholders", "city_inclusiveness"]),
    ("app_pages/compare.py", {}, ["cmp_multiples", "cmp_ladder"]),
    ("app_pages/compare.py", {"tab": "scatter"}, ["cmp_multiples", "cmp_scatter"]),
    ("app_pages/degrees.py", {}, ["deg_lenses", "deg_shares", "deg_depth"]),
    ("app_pages/degrees.py", {"tab": "adoption", "lang": "en"}, ["deg_lenses", "deg_shares", "deg_adoption"]),
]


def _ending(elements, suffix: str) -> list:
    return [e for e in elements if e.proto.id.endswith(f"-{suffix}")]


@pytest.mark.parametrize(("page", "query", "keys"), CHART_VIEWS)
def test_every_chart_has_its_summary_data_and_downloads(monkeypatch, demo_db, page, query, keys):
    at = run_app(monkeypatch, demo_db, page=page, **query)
    assert not at.exception
    charts = at.get("plotly_chart")
    assert sorted(c.proto.id.rsplit("-", 1)[1] for c in charts) == sorted(keys)
    captions = [c.value for c in at.caption]
    for chart in charts:
        assert len(chart.proto.alt) > 30 and escape_markdown(chart.proto.alt) in captions  # read aloud, and shown
    expanders, before = at.expander, list(at.dataframe)
    for key in keys:
        assert len(_ending(expanders, f"{key}_data")) == 1
        assert not _ending(at.get("download_button"), f"{key}_csv")  # closed: nothing built
        at.session_state[f"{key}_data"] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) - len(before) == len(keys)  # one table per chart (Compare has its ranking too)
    assert all(len(t.value) > 0 for t in at.dataframe)
    for key in keys:
        buttons = _ending(at.get("download_button"), f"{key}_csv") + _ending(at.get("download_button"), f"{key}_xlsx")
        assert [b.proto.label for b in buttons] == (
            ["Données CSV", "Données Excel"] if query.get("lang") != "en" else ["CSV data", "Excel data"]
        )


def test_every_run_logs_its_page_and_its_time(monkeypatch, demo_db):
    import logging
    import re

    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger = logging.getLogger("engagement.runs")
    logger.addHandler(handler)
    try:
        run_app(monkeypatch, demo_db, page="app_pages/city.py")
    finally:
        logger.removeHandler(handler)
    assert re.fullmatch(r"page run / \d+\.\d{3} s", records[0])
    assert re.fullmatch(r"page run /ville \d+\.\d{3} s", records[-1])


def test_the_seldom_used_filters_draw_when_opened_and_say_which_apply_when_closed(monkeypatch, demo_db):
    """Country group, methods, themes and format sit in an expander drawn only while open
    (each widget delays a first view); a link that sets one opens it, and closed while one
    applies it says which below it; a change of another filter keeps it applied."""
    at = app(monkeypatch, demo_db)
    more = [e for e in at.sidebar.expander if e.label == "Groupe de pays, méthodes, thématiques, format"]
    assert len(more) == 1 and [m.key for m in at.sidebar.multiselect] == ["flt_country", "flt_city"]
    assert not [c for c in at.sidebar.caption if c.value.startswith("Filtres appliqués")]
    at.session_state["flt_more"] = True  # the reader opens it
    at.run()
    drawn = [m.key for m in at.sidebar.multiselect]
    assert drawn == ["flt_country", "flt_city", "flt_group", "flt_method", "flt_theme", "flt_format"]
    at.multiselect(key="flt_method").set_value(["atelier"]).run()
    at.session_state["flt_more"] = False  # the reader closes it: the method still applies, and it says so
    at.run()
    assert [m.key for m in at.sidebar.multiselect] == ["flt_country", "flt_city"]
    assert [c.value for c in at.sidebar.caption if c.value.startswith("Filtres")] == [
        "Filtres appliqués — méthodes : Atelier"
    ]
    at.multiselect(key="flt_city").set_value(["69123"]).run()
    assert (at.query_params["method"], at.query_params["city"]) == ("atelier", "69123")
    linked = app(monkeypatch, demo_db, theme="mobilite")  # a new session from a link: open, the theme shown
    assert not linked.exception and linked.multiselect(key="flt_theme").value == ["mobilite"]
    english = app(monkeypatch, demo_db, lang="en", method="atelier")
    assert [e.label for e in english.sidebar.expander] == ["Country group, methods, themes, channel"]
    english.session_state["flt_more"] = False
    english.run()
    assert [c.value for c in english.sidebar.caption if c.value.startswith("Filters")] == [
        "Filters applied — methods: Workshop"
    ]


def test_sidebar_filters_every_mission_city_by_group_and_country(monkeypatch, demo_db):
    """The sidebar offers the 112 cities named in the page's language with their local
    name beside; a group (EU member states, associated countries) narrows the countries
    and the cities offered, and the figures."""
    at = app(monkeypatch, demo_db)
    cities = at.multiselect(key="flt_city")
    assert len(cities.options) == 112
    assert (
        "Lisbonne · Lisboa" in cities.options and "Lyon" in cities.options and "Varsovie · Warszawa" in cities.options
    )
    assert [m.key for m in at.sidebar.multiselect] == ["flt_country", "flt_city"]  # the others drawn when opened
    at.session_state["flt_more"] = True  # the reader opens the expander of the other filters
    at.run()
    assert at.multiselect(key="flt_group").options == ["États de l'UE", "Pays associés"]
    assert any(c.value.startswith("112 des 112 villes de la mission") for c in at.caption)
    at.multiselect(key="flt_group").set_value(["associated"]).run()
    assert not at.exception
    assert at.query_params["group"] == "associated"
    countries = at.multiselect(key="flt_country").options
    assert len(countries) == 8 and "Norvège" in countries and "France" not in countries
    associated = at.multiselect(key="flt_city").options
    assert len(associated) == 12 and "Istanbul" in associated  # İstanbul differs only by its dot: not repeated
    assert any(c.value.startswith("12 des 112 villes de la mission") for c in at.caption)
    english = app(monkeypatch, demo_db, lang="en", group="associated")
    assert "The Hague · Den Haag" not in english.multiselect(key="flt_city").options
    assert "Reykjavík" in english.multiselect(key="flt_city").options
    assert english.multiselect(key="flt_group").options == ["EU member states", "Associated countries"]
