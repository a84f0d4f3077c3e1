"""Degrés d'engagement / Degrees of engagement: the scale and its lenses, then where the
selection stands on them per city; and, one tab at a time (only the open one runs), over
time and what becomes of the proposals."""

import streamlit as st

from ui.frame import current, no_data
from ui.state import url_switch
from ui.tabs import url_tabs
from ui.texts import text
from ui.texts.degrees import TEXT
from ui.views import draw, scale_cards, scope_of
from ui.widgets import measure_switch
from views import batch
from views.degrees import BASE, lens_titles, levels_by_city, scale

ctx = current()
lang, scope, described = ctx.lang, scope_of(ctx), scale(ctx.lang)
st.title(text(TEXT, "title", lang))
st.caption(described.description)

st.subheader(text(TEXT, "scale", lang))
draw("lenses", scope, key="deg_lenses")
scale_cards(described)

st.subheader(text(TEXT, "in_data", lang))
with batch():  # the page's queries share one connection when they are not cached
    if no_data(ctx, levels_by_city(scope)):
        st.stop()
    switches = st.container(horizontal=True, gap="large")  # one element, not three columns
    titles = lens_titles(lang)
    lens_id = url_switch(
        switches,
        text(TEXT, "lens", lang),
        list(titles),
        param="lens",
        default=BASE,
        format_func=lambda i: titles.get(i, str(i)),
        key="deg_lens",
    )
    measure = measure_switch(switches, lang, key="deg_measure")
    draw("lens", scope.with_(lens=lens_id, measure=measure), key="deg_shares")
    tab, chosen = url_tabs(
        ["depth", "adoption"], lambda c: text(TEXT, f"tab_{c}", lang), param="tab", key="deg_tab", lang=lang
    )
    if chosen == "depth":
        draw("depth", scope, key="deg_depth", container=tab)
    else:
        draw("adoption", scope, key="deg_adoption", container=tab)
