"""The engagement ladder: each city's activities split by degree of engagement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.format import NUMBER_TICKS, SEPARATORS, names_beside, plot_names
from charts.levels import bars_height, crosstab, shares
from etl.schema import Framework

TEXT = {
    "fr": {"x": "Part des activités (%)", "y": "", "title": "Degrés d'engagement par ville", "hover": "activités"},
    "en": {"x": "Share of activities (%)", "y": "", "title": "Degrees of engagement by city", "hover": "activities"},
}


def engagement_ladder(frame: pd.DataFrame, framework: Framework, lang: str = "fr") -> go.Figure:
    """Horizontal 100 % stacked bars, one per city, levels in the scale's order and colours.

    `frame` has columns city, level, activities (and city_local: the local name, in the
    hover text). Cities are sorted by their share of co-creation (deepest at the top); the
    chart grows with their number so that every name reads."""
    text = TEXT[lang]
    frame = plot_names(frame)  # names from the database, drawn as text
    codes = [lv.code for lv in framework.levels]
    cities, counts, totals = crosstab(frame, "city", "level", "activities", codes)
    pct = shares(counts, totals)
    deep = pct[:, [codes.index(code) for code in framework.co_creation if code in codes]].sum(axis=1)
    order = np.argsort(deep, kind="stable")  # plotly draws the first category at the bottom
    names = [cities[i] for i in order]
    full = dict(zip(frame["city"], names_beside(frame), strict=True))
    hover = np.array([full[name] for name in names], dtype=object)
    bars = [
        {
            "type": "bar",
            "name": level.label(lang),
            "y": names,
            "x": pct[order, i],
            "orientation": "h",
            "marker": {"color": level.colour},
            "customdata": np.stack([counts[order, i], hover], axis=-1),
            "hovertemplate": (
                f"%{{customdata[1]}} — {level.label(lang)} : %{{x:.1f}} %% "
                f"(%{{customdata[0]:,.0f}} {text['hover']})<extra></extra>"
            ),
        }
        for i, level in enumerate(framework.levels)
    ]
    layout = {
        "separators": SEPARATORS[lang],
        "barmode": "stack",
        "title": {"text": text["title"]},
        "xaxis": {"title": {"text": text["x"]}, "range": [0, 100], "ticksuffix": " %", **NUMBER_TICKS},
        "yaxis": {"title": {"text": text["y"]}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
        "height": bars_height(len(names), 140),
        "margin": {"l": 10, "r": 10, "t": 80, "b": 40},
    }
    return go.Figure(data=bars, layout=layout)
