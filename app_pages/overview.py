"""Vue d'ensemble / Overview: key figures with their change, the map, the ladder, the trend."""

import streamlit as st

from ui.frame import current, no_data
from ui.i18n import fmt_date
from ui.state import url_switch
from ui.texts import text
from ui.texts.overview import TEXT
from ui.views import draw, key_figures, scope_of
from ui.widgets import measure_switch
from views import batch
from views.overview import aggregates, coverage, overview_figures

ctx = current()
lang, scope = ctx.lang, scope_of(ctx)
st.title(text(TEXT, "title", lang))
st.caption(
    f"{text(TEXT, 'caption', lang)} {fmt_date(scope.selection.start, lang)} – {fmt_date(scope.selection.end, lang)}"
)

with batch():  # the page's queries share one connection when they are not cached
    cities = aggregates(scope)
    if no_data(ctx, cities):
        st.stop()
    with st.container():  # above the trend's switches, drawn first
        key_figures(overview_figures(scope, cities, ctx.choices.first), scope)
        st.caption(coverage(cities, ctx.cities, lang))
        draw("map", scope, key="map")
        draw("ladder", scope, key="ladder")
    switches = st.container(horizontal=True, gap="large")  # one element, not three columns
    grain = url_switch(
        switches,
        text(TEXT, "grain", lang),
        ["month", "quarter"],
        param="grain",
        default=scope.period_grain(),  # as the slide: quarters over more than three years
        format_func=lambda g: text(TEXT, g, lang),
        key="ov_grain",
    )
    measure = measure_switch(switches, lang, key="ov_measure")
    draw("trend", scope.with_(grain=grain, measure=measure), key="trend")
