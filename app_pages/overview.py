"""Vue d'ensemble / Overview: key figures with their change, the map, the ladder, the trend."""

from functools import partial

import streamlit as st

from charts import summaries
from charts.ladder import engagement_ladder
from charts.map import city_map
from charts.periods import span_of
from charts.presentation import level_keys
from charts.trend import trend_by_level
from etl.schema import load_framework
from queries import batch, fetch_selection
from queries.metrics import KEY_FIGURES, METRICS, compute, total
from ui import tables
from ui.chart import chart
from ui.frame import current, europe_geojson, no_data
from ui.i18n import fmt_date
from ui.state import url_switch
from ui.texts import text
from ui.texts.overview import TEXT
from ui.widgets import escape_markdown, measure_switch, metric_row


def coverage(per_city, ctx, lang: str) -> str:
    """How many mission cities the figures cover (members only), and which cities outside
    the mission are shown too."""
    members = sum(city.member for city in ctx.cities.values())
    active = per_city[per_city["activities"] > 0]
    line = text(TEXT, "coverage", lang, active=int(active["member"].sum()), members=members)
    outside = active.loc[~active["member"].astype(bool), "city"]
    if len(outside):
        line += text(TEXT, "coverage_outside", lang, names=", ".join(escape_markdown(n) for n in outside))
    return line


ctx = current()
lang, framework, selection = ctx.lang, load_framework(), ctx.selection
st.title(text(TEXT, "title", lang))
st.caption(f"{text(TEXT, 'caption', lang)} {fmt_date(selection.start, lang)} – {fmt_date(selection.end, lang)}")

with batch():  # the page's queries share one connection when they are not cached
    cities = fetch_selection("aggregates_by_city", selection, version=ctx.version, lang=lang)
    if no_data(ctx, cities):
        st.stop()
    earlier = selection.previous()  # the change is against it; before the first record there is none
    before = dict.fromkeys(KEY_FIGURES)
    if earlier.end >= ctx.choices.first:
        before = total(fetch_selection("aggregates_by_city", earlier, version=ctx.version, lang=lang))
    levels = fetch_selection("levels_by_city", selection, version=ctx.version, lang=lang)
    figures = st.container()  # filled below, once the trend's switches are read
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
    measure = measure_switch(right, lang, key="ov_measure")
    trend = fetch_selection("trend_by_level", selection, version=ctx.version, lang=lang, grain=grain)

per_city = compute(cities)
span = span_of(selection.start, selection.end)  # a period cut by today is hatched, not read as a drop
with figures:
    metric_row([METRICS[k] for k in KEY_FIGURES], total(cities), before, lang)
    st.caption(coverage(per_city, ctx, lang))
    chart(
        city_map(per_city, europe_geojson(), framework, lang),
        key="map",
        lang=lang,
        summary=summaries.city_map(per_city, lang),
        data=partial(tables.city_map, per_city, lang),
        name=text(TEXT, "file_map", lang),
    )
    chart(
        engagement_ladder(levels, framework, lang),
        key="ladder",
        lang=lang,
        summary=summaries.engagement_ladder(levels, framework, lang),
        data=partial(tables.engagement_ladder, levels, framework, lang),
        name=text(TEXT, "file_ladder", lang),
        levels=level_keys(framework, lang),
    )
chart(
    trend_by_level(trend, framework, measure, grain, lang, span),
    key="trend",
    lang=lang,
    summary=summaries.trend_by_level(trend, framework, measure, grain, lang, span),
    data=partial(tables.trend_by_level, trend, framework, lang),
    name=text(TEXT, "file_trend", lang),
    levels=level_keys(framework, lang),
)
