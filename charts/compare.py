"""Cities side by side: small multiples on shared axes, a ranking, and intensity
against depth with the median of the mission cities as quadrant lines."""

from __future__ import annotations

import copy
import math
from datetime import date
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.format import NUMBER_TICKS, SEPARATORS, date_ticks, names_beside, plot_names, plot_text
from charts.labels import place_labels
from charts.levels import depth_colorscale, level_legend
from charts.periods import Span, mark_partial_bars, partial_note
from etl.schema import Framework

QUARTERLY_AFTER_DAYS = 3 * 365 + 1  # periods longer than three years are shown by quarter
MEDIAN_COLOUR = "#6B7280"
TEXT = {
    "fr": {
        "participations": "Participations",
        "per_10k": "Participations pour 10 000 habitants",
        "per_10k_short": "Particip. / 10 000 hab.",
        "month": "Mois",
        "quarter": "Trimestre",
        "multiples": "{measure} par {grain} et degré d'engagement (axes communs)",
        "scatter": "Intensité et profondeur de la participation",
        "x": "Participations pour 10 000 habitants",
        "y": "Indice de profondeur",
        "median": "Médiane des villes de la mission",
        "median_x": "médiane : %{x:,.1f} participations pour 10 000 hab.",
        "median_y": "médiane : indice %{y:.2f}",
        "point": "<b>%{customdata}</b><br>%{x:,.1f} participations pour 10 000 hab.<br>indice de profondeur : %{y:.2f}",
        "quadrants": (
            "peu intense mais profonde",
            "intense et profonde",
            "peu intense et superficielle",
            "intense mais superficielle",
        ),
    },
    "en": {
        "participations": "Participations",
        "per_10k": "Participations per 10,000 inhabitants",
        "per_10k_short": "Particip. / 10,000 inh.",
        "month": "Month",
        "quarter": "Quarter",
        "multiples": "{measure} by {grain} and degree of engagement (shared axes)",
        "scatter": "Participation intensity and depth",
        "x": "Participations per 10,000 inhabitants",
        "y": "Depth index",
        "median": "Median of the mission cities",
        "median_x": "median: %{x:,.1f} participations per 10,000 inh.",
        "median_y": "median: index %{y:.2f}",
        "point": "<b>%{customdata}</b><br>%{x:,.1f} participations per 10,000 inh.<br>depth index: %{y:.2f}",
        "quadrants": ("less intense but deep", "intense and deep", "less intense and shallow", "intense but shallow"),
    },
}


def grain_for(start: date, end: date) -> str:
    """Month, or quarter when the period is longer than three years (too many bars)."""
    return "quarter" if (end - start).days > QUARTERLY_AFTER_DAYS else "month"


def panel_grid(count: int) -> tuple[int, int]:
    """Rows and columns for `count` panels: one row up to 4, then 3 or 4 columns."""
    columns = count if count <= 4 else 3 if count in (5, 6, 9) else 4
    return math.ceil(count / columns), columns


@cache
def _grid(rows: int, columns: int, count: int) -> dict:
    """The layout of `count` panels on shared axes (axis domains, `matches`, title
    annotations), from plotly's make_subplots: made once per shape, as it is slow."""
    fig = make_subplots(
        rows=rows,
        cols=columns,
        shared_xaxes="all",
        shared_yaxes="all",
        subplot_titles=[str(i) for i in range(count)],
        vertical_spacing=0.4 / rows if rows > 1 else 0.1,
        horizontal_spacing=0.03,
    )
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)
    return layout


def _axis(kind: str, panel: int) -> str:
    return f"{kind}axis{panel if panel > 1 else ''}"


def small_multiples(
    frame: pd.DataFrame,
    cities: list[str],
    framework: Framework,
    value: str,
    grain: str,
    lang: str = "fr",
    span: Span | None = None,
) -> go.Figure:
    """One panel per city (in `cities` order) on shared x and y axes, bars stacked by
    level in the scale's order and colours. `frame`: period, city, level and the `value`
    column ("participations" or "per_10k"). A city without rows gets an empty panel."""
    text = TEXT[lang]
    frame, cities = plot_names(frame), [plot_text(c) for c in cities]  # names from the database, drawn as text
    rows, columns = panel_grid(len(cities))
    layout = copy.deepcopy(_grid(rows, columns, len(cities)))
    for annotation, city in zip(layout.get("annotations", []), cities, strict=False):
        annotation["text"] = city
    decimals = 1 if value == "per_10k" else 0
    full = dict(zip(frame["city"], names_beside(frame), strict=True))
    names, levels = frame["city"].to_numpy(dtype=object), frame["level"].to_numpy(dtype=object)
    periods, values = frame["period"].to_numpy(), frame[value].to_numpy()
    bars = level_legend(framework, lang)  # the five levels, whatever the first panel holds
    for index, city in enumerate(cities):
        panel, here = index + 1, names == city
        for level in framework.levels:
            rows_here = here & (levels == level.code)
            bars.append(
                {
                    "type": "bar",
                    "x": periods[rows_here],
                    "y": values[rows_here],
                    "name": level.label(lang),
                    "legendgroup": level.code,
                    "showlegend": False,
                    "marker": {"color": level.colour},
                    "hovertemplate": f"{full.get(city, city)} — {level.label(lang)} : %{{y:,.{decimals}f}}<extra></extra>",
                    "xaxis": f"x{panel if panel > 1 else ''}",
                    "yaxis": f"y{panel if panel > 1 else ''}",
                }
            )
        if index + columns >= len(cities):  # nothing below: this panel shows the dates
            layout[_axis("x", panel)] |= {"showticklabels": True, "title": {"text": text[grain]}}
        layout[_axis("y", panel)] |= NUMBER_TICKS
        if index % columns == 0:
            title = text["per_10k_short" if value == "per_10k" else "participations"]
            layout[_axis("y", panel)]["title"] = {"text": title}
    ticks = date_ticks(periods, lang, max_ticks=4 if columns > 2 else 6)  # month names in the language
    for key in [k for k in layout if k.startswith("xaxis")]:
        layout[key] |= {"type": "date", **ticks}
    layout |= {
        "barmode": "stack",
        "bargap": 0.1,
        "title": {"text": text["multiples"].format(measure=text[value], grain=text[grain].lower())},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0 + 0.12 / rows, "x": 0, "traceorder": "normal"},
        "height": 200 * rows + 180,
        "margin": {"l": 10, "r": 10, "t": 110, "b": 40},
        "separators": SEPARATORS[lang],
    }
    note = partial_note(periods, grain, span, lang)
    if note:
        layout["title"]["subtitle"] = {"text": note}
        layout["margin"]["t"] += 40  # the subtitle sits between the title and the legend
    return go.Figure(data=mark_partial_bars(bars, grain, span), layout=layout)


def ranking(frame: pd.DataFrame, measure: str, columns: list[str]) -> pd.DataFrame:
    """The cities ranked by `measure`, highest first (missing values last, ties by name):
    columns rank (1, 2, …), city and `columns`."""
    ordered = frame.sort_values([measure, "city"], ascending=[False, True], na_position="last")
    table = ordered[["city", *columns]].reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def padded_range(values: list[float], floor: float, share: float = 0.15, least: float = 1.0) -> tuple[float, float]:
    """An axis range around `values` with a margin (`share` of their span, at least
    `least`), never below `floor`: the points spread over the plot."""
    if not values:
        return floor, floor + least
    lo, hi = min(values), max(values)
    margin = max((hi - lo) * share, least)
    return max(lo - margin, floor), hi + margin


SCATTER_AREA = (1100, 330)  # px: the plot area of a slide's picture, the smallest the scatter is drawn in
SCATTER_LABELS = 40


def _scatter_labels(
    points: pd.DataFrame, names: list[str], xs: tuple, ys: tuple, centre: tuple | None, corners: list[str]
) -> list:
    """Where each city's name goes (None: left out), laid out in SCATTER_AREA at 18 px:
    the cities farthest from the medians (else from the middle of the cloud) first."""
    width, height = SCATTER_AREA
    x = points["per_10k"].to_numpy(dtype=float)
    y = points["depth_index"].to_numpy(dtype=float)
    pixels = np.column_stack(
        [(x - xs[0]) / ((xs[1] - xs[0]) or 1) * width, (ys[1] - y) / ((ys[1] - ys[0]) or 1) * height]
    )
    cx, cy = centre if centre is not None else (np.median(x) if len(x) else 0, np.median(y) if len(y) else 0)
    far = np.hypot((x - cx) / ((xs[1] - xs[0]) or 1), (y - cy) / ((ys[1] - ys[0]) or 1))
    order = np.argsort(-far, kind="stable")
    notes = []  # the quadrants' names, in the corners (top left, top right, bottom left, bottom right)
    for (left, top), note in zip(((True, True), (False, True), (True, False), (False, False)), corners, strict=True):
        w = 0.56 * 18 * len(note) + 10
        x0 = 0 if left else width - w
        y0 = 0 if top else height - 26
        notes.append((x0, y0, x0 + w, y0 + 26))
    sizes = np.full(len(names), 14.0)
    return place_labels(names, pixels, sizes, SCATTER_AREA, 18, SCATTER_LABELS, order, notes)


def intensity_depth(frame: pd.DataFrame, median: pd.Series, framework: Framework, lang: str = "fr") -> go.Figure:
    """Participations per 10,000 inhabitants (x) against the depth index (y), one labelled
    point per city coloured by depth; the median of the mission cities (`median`: per_10k,
    depth_index) as a vertical and a horizontal line; the four quadrants named.
    `frame`: city, per_10k, depth_index; cities without participations are left out."""
    text = TEXT[lang]
    points = plot_names(frame).dropna(subset=["per_10k", "depth_index"]).sort_values("per_10k")
    mx, my = median.get("per_10k"), median.get("depth_index")
    has_median = pd.notna(mx) and pd.notna(my)
    left, right = padded_range([*points["per_10k"], *([mx] if has_median else [])], floor=0.0)
    low, high = padded_range([*points["depth_index"], *([my] if has_median else [])], floor=0.0, least=0.25)
    traces = []
    if has_median:
        line = {"color": MEDIAN_COLOUR, "dash": "dash", "width": 1.5}
        common = {"type": "scatter", "mode": "lines", "line": line, "name": text["median"], "legendgroup": "median"}
        traces.append(common | {"x": [mx, mx], "y": [low, high], "hovertemplate": text["median_x"] + "<extra></extra>"})
        traces.append(
            common
            | {"x": [left, right], "y": [my, my], "showlegend": False}
            | {"hovertemplate": text["median_y"] + "<extra></extra>"}
        )
    names = points["city"].astype(str).tolist()
    centre = (mx, my) if has_median else None
    positions = _scatter_labels(points, names, (left, right), (low, high), centre, text["quadrants"])
    traces.append(
        {
            "type": "scatter",
            "x": points["per_10k"].to_numpy(dtype=float),
            "y": points["depth_index"].to_numpy(dtype=float),
            "text": [n if p else "" for n, p in zip(names, positions, strict=True)],
            "customdata": names_beside(points),
            "mode": "markers+text",
            # names only where they fit, most outlying cities first: a crowd stays legible
            "textposition": [p or "top center" for p in positions],
            "cliponaxis": False,
            "showlegend": False,
            "name": "",
            "marker": {
                "size": 14,
                "color": points["depth_index"].to_numpy(dtype=float),
                "cmin": 1,
                "cmax": len(framework.levels),
                "colorscale": depth_colorscale(framework),
                "line": {"color": "#374151", "width": 1},
            },
            "hovertemplate": text["point"] + "<extra></extra>",
        }
    )
    corners = [(0.01, 0.99, "left", "top"), (0.99, 0.99, "right", "top"), (0.01, 0.01, "left", "bottom")]
    corners.append((0.99, 0.01, "right", "bottom"))
    quadrants = [
        {
            "text": f"<i>{label}</i>",
            "x": x,
            "y": y,
            "xref": "x domain",
            "yref": "y domain",
            "xanchor": xanchor,
            "yanchor": yanchor,
            "showarrow": False,
            "font": {"color": MEDIAN_COLOUR, "size": 13},
        }
        for label, (x, y, xanchor, yanchor) in zip(text["quadrants"], corners, strict=True)
    ]
    first, last = framework.levels[0], framework.levels[-1]
    depth_title = f"{text['y']} ({first.rank} = {first.label(lang).lower()}, {last.rank} = {last.label(lang).lower()})"
    # The depth axis's title is written level above the plot: turned sideways, it ran
    # longer than the plot is high on a slide's picture and was cut at both ends.
    quadrants.append(
        {
            "text": depth_title,
            "name": "y_title",
            "x": 0,
            "y": 1,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "bottom",
            "yshift": 4,
            "showarrow": False,
            "font": {"size": 14},
        }
    )
    layout = {
        "title": {"text": text["scatter"]},
        "xaxis": {"title": {"text": text["x"]}, "range": [left, right], "zeroline": False, **NUMBER_TICKS},
        "yaxis": {"range": [low, high], "zeroline": False, **NUMBER_TICKS},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
        "height": 540,
        "margin": {"l": 10, "r": 10, "t": 80, "b": 40},
        "separators": SEPARATORS[lang],
        "annotations": quadrants,
    }
    return go.Figure(data=traces, layout=layout)
