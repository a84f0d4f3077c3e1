"""Activities (or participations) over time, stacked by degree of engagement."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.format import NUMBER_TICKS, SEPARATORS, date_ticks
from charts.levels import keep_in_legend
from charts.periods import Span, mark_partial_bars, partial_note
from etl.schema import Framework

TEXT = {
    "fr": {
        "activities": "Activités",
        "participations": "Participations",
        "month": "Mois",
        "quarter": "Trimestre",
        "title": "{measure} par {grain} et degré d'engagement",
    },
    "en": {
        "activities": "Activities",
        "participations": "Participations",
        "month": "Month",
        "quarter": "Quarter",
        "title": "{measure} by {grain} and degree of engagement",
    },
}


def trend_by_level(
    frame: pd.DataFrame, framework: Framework, measure: str, grain: str, lang: str = "fr", span: Span | None = None
) -> go.Figure:
    """`frame`: period (timestamp), level, activities, participations. Stacked bars; the
    periods `span` (the days the selection covers, up to today) holds only in part are
    hatched and named in the subtitle."""
    text = TEXT[lang]
    levels = frame["level"].to_numpy(dtype=object)
    periods, values = frame["period"].to_numpy(), frame[measure].to_numpy()
    bars = []
    for level in framework.levels:
        rows = levels == level.code
        bars.append(
            {
                "type": "bar",
                "name": level.label(lang),
                "x": periods[rows],
                "y": values[rows],
                "marker": {"color": level.colour},
                "hovertemplate": f"{level.label(lang)} : %{{y:,.0f}}<extra></extra>",
            }
        )
    layout = {
        "separators": SEPARATORS[lang],
        "barmode": "stack",
        "title": {"text": text["title"].format(measure=text[measure], grain=text[grain].lower())},
        "xaxis": {"title": {"text": text[grain]}, "type": "date", **date_ticks(periods, lang)},
        "yaxis": {"title": {"text": text[measure]}, **NUMBER_TICKS},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
        "height": 420,
        "margin": {"l": 10, "r": 10, "t": 80, "b": 40},
        "bargap": 0.15,
    }
    note = partial_note(periods, grain, span, lang)
    if note:
        layout["title"]["subtitle"] = {"text": note}
        layout["margin"]["t"] = 100
    return go.Figure(data=keep_in_legend(mark_partial_bars(bars, grain, span)), layout=layout)
