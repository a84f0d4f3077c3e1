"""Ville / City: one city against the median of mission cities and its activities over time; then,
one tab at a time (only the open one runs): proposals and methods, who takes part, its activities."""

import streamlit as st

from ui.activities import activities_table
from ui.frame import current, no_data
from ui.i18n import t
from ui.pickers import city_select
from ui.tabs import url_tabs
from ui.texts import text
from ui.texts.city import TEXT
from ui.views import draw, key_figures, scope_of
from views import batch
from views.city import city_activity, city_choice, city_figures, city_texts

TABS = ["proposals", "people", "activities"]

ctx = current()
lang, median = ctx.lang, scope_of(ctx).of_cities([])  # the page's city replaces the sidebar's city filter
st.title(text(TEXT, "title", lang))
with batch():  # the page's queries share one connection when they are not cached
    choice = city_choice(median, ctx.selection.cities)
    if no_data(ctx, choice.cities):
        st.stop()
    title, placeholder = text(TEXT, "city", lang), t("choose_one", lang)
    code = city_select(title, choice.codes, choice.default, ctx, key="city_city", placeholder=placeholder)
    scope, texts = median.with_(city=code), city_texts(median.with_(city=code), ctx.cities)
    st.caption(texts.caption)
    if texts.outside:
        st.warning(texts.outside, icon=":material/public_off:")
    if no_data(ctx, city_activity(choice.cities, code)):
        st.stop()
    key_figures(city_figures(scope, choice.cities), scope)
    st.caption(texts.population)
    draw("city_trend", scope, key="city_trend")
    tab, chosen = url_tabs(TABS, lambda t: text(TEXT, f"tab_{t}", lang), param="tab", key="city_tab", lang=lang)
    left, right = tab.columns(2) if chosen != "activities" else (tab, tab)
    if chosen == "proposals":
        draw("funnel", scope, key="city_funnel", container=left)
        draw("matrix", scope, key="city_matrix", container=right)
    elif chosen == "people":
        draw("stakeholders", scope, key="city_stakeholders", container=left)
        no_figures = text(TEXT, "no_inclusiveness", lang)
        draw(
            "inclusiveness",
            scope,
            key="city_inclusiveness",
            container=right,
            otherwise=no_figures,
            icon=":material/diversity_3:",
        )
    else:
        activities_table(scope, tab)
