"""Degrés d'engagement / Degrees of engagement: the scale and its lenses, then where the
selection stands on them per city; and, one tab at a time (only the open one runs), over
time and what becomes of the proposals."""

import streamlit as st

from charts.degrees import MAX_CITY_LINES, adoption_by_level, depth_over_time, lens_correspondence, lens_distribution
from etl.schema import load_framework
from queries import batch, fetch_selection
from queries.lenses import BASE, equivalents, lens, lenses, to_lens
from queries.metrics import METRICS
from ui.frame import current, no_data
from ui.state import url_switch
from ui.tabs import url_tabs
from ui.texts import text
from ui.texts.degrees import TEXT

ctx = current()
lang, framework = ctx.lang, load_framework()
all_lenses = lenses(framework)
st.title(text(TEXT, "title", lang))
st.caption(framework.description[lang])

st.subheader(text(TEXT, "scale", lang))
st.plotly_chart(lens_correspondence(all_lenses, framework, lang), width="stretch", key="deg_lenses")
for column, level in zip(st.columns(len(framework.levels)), framework.levels, strict=True):
    with column.container(border=True, height="stretch"):
        st.markdown(f"**{level.rank} · {level.label(lang)}**")
        st.write(level.definition(lang))
        st.caption(text(TEXT, "examples", lang, examples=level.examples(lang)))
        for title, label in equivalents(framework, level.code, lang):
            st.markdown(text(TEXT, "equivalent", lang, lens=title, label=label))
deep = text(TEXT, "and", lang).join(framework.level(code).label(lang) for code in framework.co_creation)
st.markdown(text(TEXT, "co_creation", lang, levels=deep))
st.caption(text(TEXT, "sources", lang, sources=" · ".join(item["source"][lang] for item in all_lenses[1:])))

st.subheader(text(TEXT, "in_data", lang))
with batch():  # the page's queries share one connection when they are not cached
    levels = fetch_selection("levels_by_city", ctx.selection, version=ctx.version)
    if no_data(ctx, levels):
        st.stop()
    left, right = st.columns(2)
    lens_ids = [item["id"] for item in all_lenses]
    titles = {item["id"]: item["title"][lang] for item in all_lenses}
    lens_id = url_switch(
        left, text(TEXT, "lens", lang), lens_ids, param="lens", default=BASE, format_func=titles.get, key="deg_lens"
    )
    measure = url_switch(
        right,
        text(TEXT, "measure", lang),
        ["activities", "participations"],
        param="measure",
        default="activities",
        format_func=lambda m: text(TEXT, m, lang),
        key="deg_measure",
    )
    shares = to_lens(levels, framework, lens_id)
    st.plotly_chart(
        lens_distribution(shares, lens(framework, lens_id), measure, lang), width="stretch", key="deg_shares"
    )
    tab, chosen = url_tabs(
        ["depth", "adoption"], lambda c: text(TEXT, f"tab_{c}", lang), param="tab", key="deg_tab", lang=lang
    )
    if chosen == "depth":
        depth_index, per_city = METRICS["depth_index"], 0 < len(ctx.selection.cities) <= MAX_CITY_LINES
        depth = fetch_selection("degrees_depth_by_quarter", ctx.selection, version=ctx.version, per_city=per_city)
        depth = depth.assign(depth_index=depth_index.compute(depth))
        tab.plotly_chart(depth_over_time(depth, framework, lang), width="stretch", key="deg_depth")
        tab.caption(f"{depth_index.help(lang)}\n\n{text(TEXT, 'depth_lines', lang, max=MAX_CITY_LINES)}")
    else:
        rate = METRICS["adoption_rate"]
        adoption = fetch_selection("degrees_adoption_by_level", ctx.selection, version=ctx.version)
        adoption = adoption.assign(adoption_rate=rate.compute(adoption))
        tab.plotly_chart(adoption_by_level(adoption, framework, lang), width="stretch", key="deg_adoption")
        tab.caption(rate.help(lang))
