"""Cities side by side: small multiples on shared axes, a ranking, and intensity
against depth with the median of the mission cities as quadrant lines."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.format import SEPARATORS
from charts.levels import depth_colorscale
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
        "point": "<b>%{text}</b><br>%{x:,.1f} participations pour 10 000 hab.<br>indice de profondeur : %{y:.2f}",
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
        "point": "<b>%{text}</b><br>%{x:,.1f} participations per 10,000 inh.<br>depth index: %{y:.2f}",
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


def small_multiples(
    frame: pd.DataFrame, cities: list[str], framework: Framework, value: str, grain: str, lang: str = "fr"
) -> go.Figure:
    """One panel per city (in `cities` order) on shared x and y axes, bars stacked by
    level in the scale's order and colours. `frame`: period, city, level and the `value`
    column ("participations" or "per_10k"). A city without rows gets an empty panel."""
    text = TEXT[lang]
    rows, columns = panel_grid(len(cities))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        shared_xaxes="all",
        shared_yaxes="all",
        subplot_titles=cities,
        vertical_spacing=0.4 / rows if rows > 1 else 0.1,
        horizontal_spacing=0.03,
    )
    decimals = 1 if value == "per_10k" else 0
    for index, city in enumerate(cities):
        row, col = index // columns + 1, index % columns + 1
        part = frame[frame["city"] == city]
        for level in framework.levels:
            bars = part[part["level"] == level.code]
            fig.add_bar(
                x=bars["period"],
                y=bars[value],
                name=level.label(lang),
                legendgroup=level.code,
                showlegend=index == 0,
                marker_color=level.colour,
                hovertemplate=f"{city} — {level.label(lang)} : %{{y:,.{decimals}f}}<extra></extra>",
                row=row,
                col=col,
            )
        if index + columns >= len(cities):  # nothing below: this panel shows the dates
            fig.update_xaxes(showticklabels=True, title_text=text[grain], row=row, col=col)
        if col == 1:
            fig.update_yaxes(
                title_text=text["per_10k_short" if value == "per_10k" else "participations"], row=row, col=1
            )
    fig.update_xaxes(type="date")
    fig.update_layout(
        barmode="stack",
        bargap=0.1,
        title=text["multiples"].format(measure=text[value], grain=text[grain].lower()),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0 + 0.12 / rows, "x": 0, "traceorder": "normal"},
        height=200 * rows + 180,
        margin={"l": 10, "r": 10, "t": 110, "b": 40},
        separators=SEPARATORS[lang],
    )
    return fig


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


def intensity_depth(frame: pd.DataFrame, median: pd.Series, framework: Framework, lang: str = "fr") -> go.Figure:
    """Participations per 10,000 inhabitants (x) against the depth index (y), one labelled
    point per city coloured by depth; the median of the mission cities (`median`: per_10k,
    depth_index) as a vertical and a horizontal line; the four quadrants named.
    `frame`: city, per_10k, depth_index; cities without participations are left out."""
    text = TEXT[lang]
    points = frame.dropna(subset=["per_10k", "depth_index"]).sort_values("per_10k")
    mx, my = median.get("per_10k"), median.get("depth_index")
    has_median = pd.notna(mx) and pd.notna(my)
    left, right = padded_range([*points["per_10k"], *([mx] if has_median else [])], floor=0.0)
    low, high = padded_range([*points["depth_index"], *([my] if has_median else [])], floor=0.0, least=0.25)
    fig = go.Figure()
    if has_median:
        line = {"color": MEDIAN_COLOUR, "dash": "dash", "width": 1.5}
        common = {"mode": "lines", "line": line, "name": text["median"], "legendgroup": "median"}
        fig.add_scatter(x=[mx, mx], y=[low, high], hovertemplate=text["median_x"] + "<extra></extra>", **common)
        fig.add_scatter(
            x=[left, right], y=[my, my], showlegend=False, hovertemplate=text["median_y"] + "<extra></extra>", **common
        )
    fig.add_scatter(
        x=points["per_10k"],
        y=points["depth_index"],
        text=points["city"],
        mode="markers+text",
        # neighbours along x alternate above and below, so close labels do not overlap
        textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(points))],
        cliponaxis=False,
        showlegend=False,
        name="",
        marker={
            "size": 14,
            "color": points["depth_index"],
            "cmin": 1,
            "cmax": len(framework.levels),
            "colorscale": depth_colorscale(framework),
            "line": {"color": "#374151", "width": 1},
        },
        hovertemplate=text["point"] + "<extra></extra>",
    )
    corners = [(0.01, 0.99, "left", "top"), (0.99, 0.99, "right", "top"), (0.01, 0.01, "left", "bottom")]
    corners.append((0.99, 0.01, "right", "bottom"))
    for label, (x, y, xanchor, yanchor) in zip(text["quadrants"], corners, strict=True):
        fig.add_annotation(
            text=f"<i>{label}</i>",
            x=x,
            y=y,
            xref="x domain",
            yref="y domain",
            xanchor=xanchor,
            yanchor=yanchor,
            showarrow=False,
            font={"color": MEDIAN_COLOUR, "size": 13},
        )
    first, last = framework.levels[0], framework.levels[-1]
    depth_title = f"{text['y']} ({first.rank} = {first.label(lang).lower()}, {last.rank} = {last.label(lang).lower()})"
    fig.update_layout(
        title=text["scatter"],
        xaxis={"title": text["x"], "range": [left, right], "zeroline": False},
        yaxis={"title": depth_title, "range": [low, high], "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        height=540,
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
        separators=SEPARATORS[lang],
    )
    return fig
