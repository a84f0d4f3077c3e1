"""Degrés d'engagement / Degrees of engagement: the scale and its lenses, then where the
selection stands on them per city; and, one tab at a time (only the open one runs), over
time and what becomes of the proposals."""

from functools import partial

import streamlit as st

from charts import summaries
from charts.degrees import MAX_CITY_LINES, adoption_by_level, depth_over_time, lens_correspondence, lens_distribution
from charts.periods import span_of
from etl.schema import load_framework
from queries import batch, fetch_selection
from queries.lenses import BASE, equivalents, lens, lenses, to_lens
from queries.metrics import METRICS
from ui import tables
from ui.chart import chart
from ui.frame import current, no_data
from ui.state import url_switch
from ui.tabs import url_tabs
from ui.texts import text
from ui.texts.degrees import TEXT
from ui.widgets import measure_switch

ctx = current()
lang, framework = ctx.lang, load_framework()
all_lenses = lenses(framework)
st.title(text(TEXT, "title", lang))
st.caption(framework.description[lang])

st.subheader(text(TEXT, "scale", lang))
chart(
    lens_correspondence(all_lenses, framework, lang),
    key="deg_lenses",
    lang=lang,
    summary=summaries.lens_correspondence(all_lenses, lang),
    data=partial(tables.lens_correspondence, all_lenses, lang),
    name=text(TEXT, "file_lenses", lang),
)
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
    levels = fetch_selection("levels_by_city", ctx.selection, version=ctx.version, lang=lang)
    if no_data(ctx, levels):
        st.stop()
    left, right = st.columns(2)
    lens_ids = [item["id"] for item in all_lenses]
    titles = {item["id"]: item["title"][lang] for item in all_lenses}
    lens_id = url_switch(
        left,
        text(TEXT, "lens", lang),
        lens_ids,
        param="lens",
        default=BASE,
        format_func=lambda i: titles.get(i, str(i)),
        key="deg_lens",
    )
    measure = measure_switch(right, lang, key="deg_measure")
    shares = to_lens(levels, framework, lens_id)
    chosen_lens = lens(framework, lens_id)
    chart(
        lens_distribution(shares, chosen_lens, measure, lang),
        key="deg_shares",
        lang=lang,
        summary=summaries.lens_distribution(shares, chosen_lens, measure, lang),
        data=partial(tables.lens_distribution, shares, chosen_lens, lang),
        name=text(TEXT, "file_shares", lang),
        levels=[(c["label"][lang], c["colour"]) for c in chosen_lens["categories"]],
    )
    tab, chosen = url_tabs(
        ["depth", "adoption"], lambda c: text(TEXT, f"tab_{c}", lang), param="tab", key="deg_tab", lang=lang
    )
    if chosen == "depth":
        depth_index, per_city = METRICS["depth_index"], 1 < len(ctx.selection.cities) <= MAX_CITY_LINES
        depth = fetch_selection(
            "degrees_depth_by_quarter", ctx.selection, version=ctx.version, lang=lang, per_city=per_city
        )
        depth = depth.assign(depth_index=depth_index.compute(depth))
        span = span_of(ctx.selection.start, ctx.selection.end)
        chart(
            depth_over_time(depth, framework, lang, span),
            key="deg_depth",
            lang=lang,
            summary=summaries.depth_over_time(depth, lang, span),
            data=partial(tables.depth_over_time, depth, lang),
            name=text(TEXT, "file_depth", lang),
            container=tab,
        )
        tab.caption(f"{depth_index.help(lang)}\n\n{text(TEXT, 'depth_lines', lang, max=MAX_CITY_LINES)}")
    else:
        rate = METRICS["adoption_rate"]
        adoption = fetch_selection("degrees_adoption_by_level", ctx.selection, version=ctx.version, lang=lang)
        adoption = adoption.assign(adoption_rate=rate.compute(adoption))
        chart(
            adoption_by_level(adoption, framework, lang),
            key="deg_adoption",
            lang=lang,
            summary=summaries.adoption_by_level(adoption, framework, lang),
            data=partial(tables.adoption_by_level, adoption, framework, lang),
            name=text(TEXT, "file_adoption", lang),
            container=tab,
        )
        tab.caption(rate.help(lang))
