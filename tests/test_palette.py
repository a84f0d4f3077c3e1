"""The level palette under colour-vision deficiencies, and the presentation theme's
contrast and type sizes."""

from __future__ import annotations

import pytest

from charts import palette
from charts.presentation import (
    LABEL_SIZE,
    MIN_CONTRAST,
    TEXT_COLOURS,
    THEME,
    TITLE_SIZE,
    contrast_ratio,
    label_levels,
    level_keys,
    present,
    readable_on,
)
from etl.schema import load_framework
from queries.lenses import lenses

FRAMEWORK = load_framework()
LEVEL_COLOURS = [lv.colour for lv in FRAMEWORK.levels]


@pytest.mark.parametrize("deficiency", [None, *palette.CVD_TYPES])
def test_levels_stay_apart_for_every_colour_vision(deficiency):
    distance, pair = palette.min_distance(LEVEL_COLOURS, deficiency)
    assert distance >= palette.MIN_DISTANCE, f"{deficiency}: {pair} only {distance:.1f} apart"


def test_report_names_every_vision_and_the_closest_pair_is_real():
    report = palette.report(LEVEL_COLOURS)
    assert set(report) == {"normal", "protanopia", "deuteranopia", "tritanopia"}
    # A deficiency brings colours closer: every simulated distance is below the normal one.
    assert all(report[name] < report["normal"] for name in palette.CVD_TYPES)
    distance, (a, b) = palette.min_distance(LEVEL_COLOURS, "tritanopia")
    assert a in LEVEL_COLOURS and b in LEVEL_COLOURS and a != b
    assert distance == pytest.approx(report["tritanopia"])


def test_the_simulation_really_removes_a_hue():
    """Red and green, far apart for normal vision, nearly merge for deuteranopia: the
    check would catch a red/green palette."""
    red_green = ["#D62728", "#2CA02C"]
    assert palette.min_distance(red_green)[0] > 30
    assert palette.min_distance(red_green, "deuteranopia")[0] < palette.MIN_DISTANCE
    assert palette.simulate(["#FF0000"], "protanopia").tolist() != [[1.0, 0.0, 0.0]]


def test_levels_darken_with_their_rank_so_the_order_reads_in_greys():
    lightness = palette.lightness(LEVEL_COLOURS)
    assert lightness == sorted(lightness, reverse=True)
    assert min(a - b for a, b in zip(lightness, lightness[1:], strict=False)) > 10


@pytest.mark.parametrize("lens_id", [item["id"] for item in lenses(FRAMEWORK)])
def test_every_lens_palette_passes_too(lens_id):
    colours = [c["colour"] for item in lenses(FRAMEWORK) if item["id"] == lens_id for c in item["categories"]]
    for deficiency in palette.CVD_TYPES:
        assert palette.min_distance(colours, deficiency)[0] >= palette.MIN_DISTANCE


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert contrast_ratio("#FFFFFF", "#777777") == contrast_ratio("#777777", "#FFFFFF")


@pytest.mark.parametrize("name", TEXT_COLOURS)
def test_presentation_text_contrast_is_at_least_4_5(name):
    assert contrast_ratio(THEME[name], THEME["background"]) >= MIN_CONTRAST


@pytest.mark.parametrize("colour", LEVEL_COLOURS)
def test_rank_written_on_a_level_bar_is_readable(colour):
    assert contrast_ratio(readable_on(colour), colour) >= MIN_CONTRAST


def _ladder():
    import pandas as pd

    from charts.ladder import engagement_ladder

    frame = pd.DataFrame(
        {
            "city": ["Lyon"] * 5 + ["Nantes"] * 5,
            "level": [lv.code for lv in FRAMEWORK.levels] * 2,
            "activities": range(1, 11),
        }
    )
    return engagement_ladder(frame, FRAMEWORK, "fr")


def test_levels_are_labelled_directly_not_by_colour_alone():
    fig = label_levels(_ladder(), level_keys(FRAMEWORK, "fr"))
    assert [t.name for t in fig.data] == [f"{lv.rank} · {lv.label('fr')}" for lv in FRAMEWORK.levels]
    assert [t.texttemplate for t in fig.data] == [str(lv.rank) for lv in FRAMEWORK.levels]
    assert all(t.textfont.size >= LABEL_SIZE for t in fig.data)


def test_presentation_sizes_titles_and_labels():
    fig = present(_ladder(), levels=level_keys(FRAMEWORK, "fr"))
    layout = fig.layout
    assert layout.title.font.size >= 28 and TITLE_SIZE >= 28
    assert layout.height == 720
    sizes = [layout.font.size, layout.legend.font.size, layout.xaxis.tickfont.size, layout.yaxis.tickfont.size]
    sizes += [layout.xaxis.title.font.size, layout.yaxis.title.font.size]
    assert min(sizes) >= 18
    assert layout.paper_bgcolor == THEME["background"] and layout.font.color == THEME["text"]
    assert present(_ladder(), title=False).layout.title.text is None


def test_presentation_leaves_the_original_figure_alone():
    original = _ladder()
    present(original, levels=level_keys(FRAMEWORK, "fr"))
    assert original.data[0].name == FRAMEWORK.levels[0].label("fr")
    assert original.layout.height != 720
