"""The engagement ladder: each city's activities split by degree of engagement."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.format import SEPARATORS
from etl.schema import Framework

TEXT = {
    "fr": {"x": "Part des activités (%)", "y": "", "title": "Degrés d'engagement par ville", "hover": "activités"},
    "en": {"x": "Share of activities (%)", "y": "", "title": "Degrees of engagement by city", "hover": "activities"},
}


def engagement_ladder(frame: pd.DataFrame, framework: Framework, lang: str = "fr") -> go.Figure:
    """Horizontal 100 % stacked bars, one per city, levels in the scale's order and colours.

    `frame` has columns city, level, activities. Cities are sorted by their share of
    co-creation (deepest at the top)."""
    text = TEXT[lang]
    totals = frame.groupby("city")["activities"].sum()
    share = frame.assign(pct=100 * frame["activities"] / frame["city"].map(totals))
    deep = share[share["level"].isin(framework.co_creation)].groupby("city")["pct"].sum()
    order = deep.reindex(totals.index, fill_value=0).sort_values().index.tolist()
    fig = go.Figure()
    for level in framework.levels:
        part = share[share["level"] == level.code].set_index("city").reindex(order)
        fig.add_bar(
            name=level.label(lang),
            y=order,
            x=part["pct"].fillna(0),
            orientation="h",
            marker_color=level.colour,
            customdata=part["activities"].fillna(0),
            hovertemplate=f"%{{y}} — {level.label(lang)} : %{{x:.1f}} %% (%{{customdata:,.0f}} {text['hover']})<extra></extra>",
        )
    fig.update_layout(
        separators=SEPARATORS[lang],
        barmode="stack",
        title=text["title"],
        xaxis={"title": text["x"], "range": [0, 100], "ticksuffix": " %"},
        yaxis={"title": text["y"]},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
        height=max(320, 28 * len(order) + 140),
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
    )
    return fig
