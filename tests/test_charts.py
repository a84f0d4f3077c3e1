"""Chart builders are pure: traces, level order and colours, titles, both languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from charts.ladder import engagement_ladder
from charts.levels import depth_colorscale
from charts.map import city_map, marker_sizes
from charts.trend import trend_by_level
from etl.schema import load_framework

FW = load_framework()
COLOURS = [lv.colour for lv in FW.levels]


def levels_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["Lyon", "Lyon", "Paris", "Paris"],
            "level": ["information", "co_decision", "consultation", "co_construction"],
            "activities": [3, 1, 2, 2],
            "participations": [30, 10, 20, 20],
        }
    )


def test_ladder_levels_in_order_and_colour_and_shares():
    fig = engagement_ladder(levels_frame(), FW, "fr")
    assert [t.name for t in fig.data] == [lv.label_fr for lv in FW.levels]
    assert [t.marker.color for t in fig.data] == COLOURS
    lyon = {t.name: dict(zip(t.y, t.x, strict=True))["Lyon"] for t in fig.data}
    assert lyon["Information"] == 75 and lyon["Co-décision"] == 25
    assert list(fig.data[0].y) == ["Lyon", "Paris"]  # Paris (50 % co-creation) deepest, at the top
    assert fig.layout.xaxis.title.text == "Part des activités (%)"
    assert engagement_ladder(levels_frame(), FW, "en").layout.xaxis.title.text == "Share of activities (%)"


def test_trend_stacks_levels_by_period():
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
            "level": ["information", "co_decision", "co_decision"],
            "activities": [2, 1, 4],
            "participations": [20, 10, 40],
        }
    )
    fig = trend_by_level(frame, FW, "participations", "quarter", "en")
    assert fig.layout.barmode == "stack"
    assert [t.marker.color for t in fig.data] == COLOURS
    assert list(fig.data[4].y) == [10, 40]
    assert fig.layout.yaxis.title.text == "Participations" and fig.layout.xaxis.title.text == "Quarter"
    assert "trimestre" in trend_by_level(frame, FW, "activities", "quarter", "fr").layout.title.text


def test_map_is_offline_and_encodes_intensity_and_depth():
    frame = pd.DataFrame(
        {
            "city": ["Lyon", "Paris", "Oslo", "Gozo", "Vienne"],
            "city_local": ["Lyon", "Paris", "Oslo", "Għawdex", "Wien"],
            "member": [True, True, True, True, False],
            "latitude": [45.76, 48.86, 59.91, 36.04, 48.21],
            "longitude": [4.84, 2.35, 10.75, 14.24, 16.37],
            "activities": [2, 1, 0, 3, 4],
            "per_10k": [7.7, 0.9, None, None, 2.0],
            "depth_index": [4.5, 1.0, None, 2.0, 3.0],
        }
    )
    geo = {"type": "FeatureCollection", "features": []}
    fig = city_map(frame, geo, FW, "fr")
    # SVG, no tiles: the countries are a trace of the figure, and no base layer of plotly's
    # (which would fetch a topojson file from the internet) is on.
    geo_layout = fig.layout.geo
    assert geo_layout.projection.type == "mercator"
    assert not any(
        getattr(geo_layout, f"show{layer}") for layer in ("coastlines", "land", "ocean", "countries", "lakes", "rivers")
    )
    countries, idle, active, outside, key = fig.data  # the mission layer holds members only; then the size key
    assert countries.fill == "toself" and countries.hoverinfo == "skip"
    assert (idle.name, active.name, outside.name) == (
        "Sans activité sur la sélection",
        "Villes de la mission",
        "Hors mission",
    )
    assert list(idle.customdata) == ["Oslo"]
    assert list(active.customdata) == [
        "<b>Lyon</b><br>7,7 participations pour 10 000 hab.<br>indice de profondeur : 4,50",
        "<b>Paris</b><br>0,9 participations pour 10 000 hab.<br>indice de profondeur : 1,00",
        "<b>Gozo · Għawdex</b><br>pas de population de référence<br>indice de profondeur : 2,00",
    ]
    assert list(active.text) == ["Lyon", "Paris", "Gozo"]  # the cities are named on the map
    assert list(outside.customdata) == [
        "<b>Vienne · Wien</b><br>2,0 participations pour 10 000 hab.<br>indice de profondeur : 3,00"
    ]
    assert active.marker.cmin == 1 and active.marker.cmax == 5
    assert active.marker.colorscale[0][1] == COLOURS[0] and active.marker.colorscale[-1][1] == COLOURS[-1]
    assert active.marker.size[0] > active.marker.size[1] > active.marker.size[2]  # no population: smallest
    assert active.marker.colorbar.title.text == "Indice de<br>profondeur"
    # The key of the sizes: round values drawn at the size the map gives them.
    assert (
        list(key.text) == ["7", "1", "0,4"] and fig.layout.annotations[0].text == "Participations<br>pour 10 000 hab."
    )
    assert list(key.marker.size) == list(marker_sizes(pd.Series([7.0, 1.0, 0.4]), top=7.7))
    assert key.showlegend is False and not fig.layout.xaxis.visible


def test_marker_area_is_proportional():
    sizes = marker_sizes(pd.Series([0.0, 25.0, 100.0]), smallest=0, largest=10)
    assert list(sizes) == [0.0, 5.0, 10.0]


def test_depth_colorscale_runs_through_the_level_colours():
    assert depth_colorscale(FW) == [
        [0.0, COLOURS[0]],
        [0.25, COLOURS[1]],
        [0.5, COLOURS[2]],
        [0.75, COLOURS[3]],
        [1.0, COLOURS[4]],
    ]


def test_date_axes_name_months_in_the_language():
    from charts.format import date_ticks

    months = pd.date_range("2024-01-01", "2024-12-01", freq="MS")
    french = date_ticks(months, "fr")
    assert french["ticktext"] == ["janv. 2024", "mars 2024", "mai 2024", "juil. 2024", "sept. 2024", "nov. 2024"]
    assert date_ticks(months, "en")["ticktext"][:2] == ["Jan 2024", "Mar 2024"]
    decade = date_ticks(pd.date_range("2016-03-01", "2026-02-01", freq="MS"), "fr")
    assert decade["ticktext"] == ["2018", "2020", "2022", "2024", "2026"]  # every two years, even ones
    assert date_ticks(months[:0], "fr") == {}


def test_the_map_fits_every_mission_city():
    """The view holds Reykjavík to Eilat, in the map area's shape (no empty side); one
    city shows its region."""
    from charts.map import PLOT_HEIGHT, PLOT_WIDTH, view

    lat, lon = np.array([64.13548, 29.55805, 41.01384, 36.04361]), np.array([-21.89541, 34.94821, 28.94966, 14.24306])
    lon_range, lat_range, centre = view(lat, lon)
    assert lon_range[0] < -21.9 and lon_range[1] > 34.9 and lat_range[0] < 29.5 and lat_range[1] > 64.2
    mercator = np.log(np.tan(np.pi / 4 + np.radians(np.array(lat_range)) / 2))
    shape = np.radians(lon_range[1] - lon_range[0]) / (mercator[1] - mercator[0])
    assert shape == pytest.approx(PLOT_WIDTH / PLOT_HEIGHT)
    assert lat_range[0] < centre["lat"] < lat_range[1]
    lon_alone, _, _ = view(np.array([45.76]), np.array([4.84]))
    assert 14 <= lon_alone[1] - lon_alone[0] < 40


def test_close_bubbles_are_moved_apart_just_enough():
    from charts.labels import spread

    points = np.array([[100.0, 100.0], [104.0, 101.0], [99.0, 106.0], [400.0, 300.0], [np.nan, np.nan]])
    sizes = np.array([30.0, 20.0, 12.0, 10.0, 10.0])
    moved = spread(points, sizes)
    for i in range(4):
        for j in range(i + 1, 4):
            assert np.hypot(*(moved[i] - moved[j])) >= (sizes[i] + sizes[j]) / 2 - 0.5
    assert np.allclose(moved[3], points[3])  # a city far from the others stays put
    assert (np.abs(moved[:4] - points[:4]) <= sizes[:4, None]).all()  # at most a bubble's width
    assert np.isnan(moved[4]).all()


def test_city_names_on_the_map_never_overlap():
    """A crowded cluster: the names written cover no other name and no other bubble."""
    from charts.labels import label_box, place_labels

    rng = np.random.default_rng(7)
    points, sizes = rng.uniform(200, 500, (60, 2)), rng.uniform(8, 30, 60)
    names = [f"Ville numéro {i}" for i in range(60)]
    chosen = place_labels(names, points, sizes, (900, 430), 18, 30)
    boxes = {i: label_box(names[i], points[i], sizes[i], p, 18) for i, p in enumerate(chosen) if p}
    assert 3 <= len(boxes) < 60
    for i, (left, top, right, bottom) in boxes.items():
        for j, other in boxes.items():
            assert i == j or not (left < other[2] and other[0] < right and top < other[3] and other[1] < bottom)
        for j, ((x, y), size) in enumerate(zip(points, sizes, strict=True)):
            r = size / 2
            assert i == j or not (left - r < x < right + r and top - r < y < bottom + r)


def test_the_side_by_side_summary_leaves_out_a_city_without_a_population():
    from charts.summaries import small_multiples

    frame = pd.DataFrame(
        {"city": ["Lyon", "Gozo", "Paris"], "per_10k": [2.0, np.nan, 1.0], "participations": [100, 50, 200]}
    )
    per_capita = small_multiples(frame, ["Lyon", "Gozo", "Paris"], "per_10k", "fr")
    assert (
        per_capita.startswith("Sur ces 2 villes, Lyon") and "Paris le moins" in per_capita and "Gozo" not in per_capita
    )
    assert "Gozo le moins" in small_multiples(frame, ["Lyon", "Gozo", "Paris"], "participations", "fr")


def legend_entries(fig) -> list[str]:
    """The names plotly lists in the legend: traces shown in it that hold data (plotly
    leaves out a trace whose arrays are empty)."""
    return [t.name for t in fig.data if t.showlegend is not False and len(t.x) > 0]


def test_every_chart_coloured_by_level_lists_the_five_levels_in_the_scales_order():
    """Even when a level has no bar (here consultation and concertation in January, and
    in the first of the compared cities), the legend holds all five, in rank order."""
    from charts.compare import small_multiples
    from charts.degrees import lens_distribution
    from queries.lenses import lens, to_lens

    five = [lv.label("fr") for lv in FW.levels]
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-01-01"]),
            "city": ["Lyon", "Wien"],
            "level": ["information", "co_decision"],
            "activities": [2, 1],
            "participations": [20, 10],
            "per_10k": [0.5, 0.2],
        }
    )
    assert legend_entries(trend_by_level(frame, FW, "activities", "month", "fr")) == five
    assert legend_entries(small_multiples(frame, ["Lyon", "Wien"], FW, "participations", "month", "fr")) == five
    assert legend_entries(engagement_ladder(frame, FW, "fr")) == five
    base = lens(FW, "fr")
    shares = to_lens(frame[["city", "level", "activities", "participations"]], FW, "fr")
    assert legend_entries(lens_distribution(shares, base, "activities", "fr")) == [
        c["label"]["fr"] for c in base["categories"]
    ]


def test_level_tables_list_every_level_in_the_scales_order():
    """The data under a chart and its downloads: five rows per city (or period), never in
    alphabetical order of the codes (co_construction before concertation)."""
    from views import tables

    ladder = tables.engagement_ladder(levels_frame(), FW, "fr")
    assert ladder["Degré d'engagement"].tolist() == [lv.label("fr") for lv in FW.levels] * 2
    assert ladder["Ville"].tolist() == ["Lyon"] * 5 + ["Paris"] * 5
    assert ladder["Activités"].tolist() == [3, 0, 0, 0, 1, 0, 2, 0, 2, 0]
    assert ladder["Part des activités (%)"].tolist()[:5] == [75.0, 0.0, 0.0, 0.0, 25.0]
    trend = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-02-01", "2024-01-01", "2024-01-01"]),
            "level": ["concertation", "co_construction", "information"],
            "activities": [1, 2, 3],
            "participations": [10, 20, 30],
        }
    )
    table = tables.trend_by_level(trend, FW, "en")
    assert table["Degree of engagement"].tolist()[:5] == [lv.label("en") for lv in FW.levels]
    assert table["Activities"].tolist() == [3, 0, 0, 2, 0, 0, 0, 1, 0, 0]
