"""The views layer (views/): every chart the product shows is one named view, drawn the
same for a page and for a slide."""

from __future__ import annotations

import pytest

from queries import choices, data_version
from queries.selection import from_query
from views import VIEWS, Scope, draw


@pytest.fixture
def scope(demo_db, monkeypatch):
    def make(lang: str = "fr", **query) -> Scope:
        monkeypatch.setenv("ENGAGEMENT_DB", str(demo_db))
        version = data_version()
        selection = from_query({k: v if isinstance(v, list) else [v] for k, v in query.items()}, choices(version))
        return Scope(selection, version, lang, city_names=(("69123", "Lyon"), ("75056", "Paris")))

    return make


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_view_draws_a_titled_figure_a_sentence_a_table_and_a_file_name(scope, name):
    drawn = draw(name, scope("en", city=["69123", "75056"]).with_(city="69123"))
    assert drawn.name == name and drawn.available
    assert drawn.title and drawn.figure.data, f"{name}: no title or no trace"
    assert drawn.summary.endswith(".") and "{" not in drawn.summary
    table = drawn.table()
    assert len(table) > 0 and len(table.columns) >= 2
    assert drawn.file and " " not in drawn.file and drawn.file.isascii()


def test_a_view_about_one_city_names_its_files_after_it(scope):
    lyon = scope("fr").with_(city="69123")
    assert draw("funnel", lyon).file == "propositions_69123"
    assert draw("city_trend", lyon).file == "evolution_par_degre_69123"
    assert draw("trend", lyon).file == "evolution_par_degre"  # not about one city


def test_the_compare_page_keeps_its_file_names_for_the_shared_ladder(scope):
    compared = scope("fr", city=["69123", "75056"])
    assert draw("profiles", compared).file == "profil_des_degres"
    assert draw("profiles", compared.with_(lang="en")).file == "degree_profiles"
    assert draw("ladder", compared).file == "echelle_d_engagement"
    assert draw("profiles", compared).figure.to_json() == draw("ladder", compared).figure.to_json()


def test_a_city_view_without_one_city_says_so(scope):
    with pytest.raises(ValueError, match="one city"):
        draw("funnel", scope("en", city=["69123", "75056"]))


def test_the_page_and_the_slide_draw_the_same_depth_lines(scope):
    """One rule for a line per city (charts.degrees.MAX_CITY_LINES), page and slide alike:
    the slide once had its own 8."""
    from charts.degrees import MAX_CITY_LINES
    from ui import slides

    codes = ["69123", "75056", "13055"]
    assert 1 < len(codes) <= MAX_CITY_LINES
    three = scope("fr", city=codes)
    page, slide = draw("depth", three), slides.build("depth", three)
    assert [t.name for t in page.figure.data] == [t.name for t in slide.figure.data]
    assert len(page.figure.data) > 2  # the whole selection and a line per city


def test_a_view_with_nothing_to_show_says_so_and_a_slide_draws_it_anyway(scope):
    empty = scope("fr", city="69123", **{"from": "2020-01-01", "to": "2020-01-31"}).with_(city="69123")
    assert draw("inclusiveness", empty).available is False
    assert VIEWS["inclusiveness"].draw(empty, always=True).available
