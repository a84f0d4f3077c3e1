"""Vue d'ensemble / Overview: key figures with their change, the map, the ladder, the trend."""

import streamlit as st

from charts.ladder import engagement_ladder
from charts.map import city_map
from charts.trend import trend_by_level
from etl.schema import load_framework
from queries import fetch_selection
from queries.metrics import KEY_FIGURES, METRICS, compute, total
from ui.frame import current, europe_geojson, no_data
from ui.i18n import fmt_date
from ui.state import url_switch
from ui.texts import text
from ui.texts.overview import TEXT
from ui.widgets import metric_row

ctx = current()
lang, framework = ctx.lang, load_framework()
st.title(text(TEXT, "title", lang))
st.caption(f"{text(TEXT, 'caption', lang)} {fmt_date(ctx.selection.start, lang)} – {fmt_date(ctx.selection.end, lang)}")

cities = fetch_selection("aggregates_by_city", ctx.selection, version=ctx.version)
if no_data(ctx, cities):
    st.stop()
before = fetch_selection("aggregates_by_city", ctx.selection.previous(), version=ctx.version)
metric_row([METRICS[k] for k in KEY_FIGURES], total(cities), total(before), lang)

per_city = compute(cities)
st.plotly_chart(city_map(per_city, europe_geojson(), framework, lang), width="stretch", key="map")
levels = fetch_selection("levels_by_city", ctx.selection, version=ctx.version)
st.plotly_chart(engagement_ladder(levels, framework, lang), width="stretch", key="ladder")

left, right = st.columns(2)
grain = url_switch(
    left,
    text(TEXT, "grain", lang),
    ["month", "quarter"],
    param="grain",
    default="month",
    format_func=lambda g: text(TEXT, g, lang),
    key="ov_grain",
)
measure = url_switch(
    right,
    text(TEXT, "measure", lang),
    ["activities", "participations"],
    param="measure",
    default="activities",
    format_func=lambda m: text(TEXT, m, lang),
    key="ov_measure",
)
trend = fetch_selection("trend_by_level", ctx.selection, version=ctx.version, grain=grain)
st.plotly_chart(trend_by_level(trend, framework, measure, grain, lang), width="stretch", key="trend")
