"""Suites données / Follow-up: what became of the proposals (answer, time to answer,
implementation) against the mission median, cities ranked, representation against the
population, returning participants over time."""

from functools import partial

import streamlit as st

from charts import follow_up as charts
from charts.periods import span_of
from queries import batch, fetch_selection
from queries.cities import labels as city_labels
from queries.metrics import (
    FOLLOW_UP,
    METRICS,
    REPRESENTATION,
    cities_in_median,
    compute,
    measure,
    median_of_cities,
    missing_reason,
    total,
)
from ui.chart import chart
from ui.filters import median_scope
from ui.frame import current, no_data
from ui.i18n import fmt_date, t
from ui.state import set_query, url_choice
from ui.texts import text
from ui.texts.followup import TEXT
from ui.widgets import escape_markdown, metric_row

ctx = current()
lang, selection = ctx.lang, ctx.selection
st.title(text(TEXT, "title", lang))
st.caption(text(TEXT, "caption", lang, start=fmt_date(selection.start, lang), end=fmt_date(selection.end, lang)))
with batch():  # the page's queries share one connection when they are not cached
    cities = fetch_selection("aggregates_by_city", selection, version=ctx.version, lang=lang)
    if no_data(ctx, cities):
        st.stop()
    mission = fetch_selection("aggregates_by_city", selection.for_median(), version=ctx.version, lang=lang)
    returning = fetch_selection("follow_up_returning_by_quarter", selection, version=ctx.version, lang=lang)

per_city, everything, median = compute(cities), total(cities), median_of_cities(mission)
keys = [*FOLLOW_UP, *REPRESENTATION]
reference = t("median_gap", lang, **median_scope(selection.for_median(), cities_in_median(mission), lang))
metric_row([METRICS[k] for k in keys], everything, median, lang, reference)
st.caption(charts.counted_note(keys, everything, lang))
for key in keys:
    if reason := missing_reason(key, everything, lang):
        st.caption(text(TEXT, "missing", lang, metric=METRICS[key].label(lang), reason=reason))
st.caption(reference)

active = per_city[per_city["activities"] > 0].set_index("city_code")
label = city_labels(ctx.cities, lang)
options = ["", *[c for c in ctx.city_names if c in active.index]]
focus = st.selectbox(
    text(TEXT, "focus", lang),
    options,
    index=options.index(url_choice("ville", options, "")),
    format_func=lambda c: label.get(c, c) if c else text(TEXT, "whole", lang),
    key="followup_city",
)
set_query("ville", focus)
row, name = (active.loc[focus], label[focus]) if focus else (everything, text(TEXT, "whole", lang))
steps = charts.median_steps(compute(mission))
chart(
    charts.funnel(row, steps, name, lang),
    key="followup_funnel",
    lang=lang,
    summary=charts.funnel_summary(row, steps, name, lang),
    data=partial(charts.funnel_table, row, steps, lang),
    name=text(TEXT, "file_funnel", lang),
)
left, right = st.columns(2)
classes = charts.delay_classes(per_city, lang)
chart(
    charts.delays(classes, lang),
    key="followup_delays",
    lang=lang,
    summary=charts.delays_summary(classes, everything["median_days_to_answer"], lang),
    data=partial(charts.delays_table, classes, lang),
    name=text(TEXT, "file_delays", lang),
    container=left,
)
order = charts.ranked(per_city)
chart(
    charts.ranking(order, lang),
    key="followup_ranking",
    lang=lang,
    summary=charts.ranking_summary(order, lang),
    data=partial(charts.ranking_table, order, lang),
    name=text(TEXT, "file_ranking", lang),
    container=right,
)
if note := charts.top_note(charts.MAX_CITIES, len(order), lang):
    right.caption(note)
ratios = charts.with_ratios(per_city)
if per_city["structure_year"].isna().all():
    st.info(text(TEXT, "no_structure", lang), icon=":material/groups:")
else:
    chart(
        charts.representation(ratios, lang),
        key="followup_ratios",
        lang=lang,
        summary=charts.representation_summary(ratios, lang),
        data=partial(charts.representation_table, ratios, lang),
        name=text(TEXT, "file_ratios", lang),
    )
    if note := charts.top_note(charts.MAX_CITIES, len(ratios), lang):
        st.caption(note)
    if per_city["structure_demo"].fillna(False).astype(bool).any():
        st.caption(escape_markdown(text(TEXT, "demo_structure", lang)))
returning = returning.assign(returning_share=measure("returning_share", returning))
span = span_of(selection.start, selection.end)  # a quarter cut by today is marked, not read as a drop
chart(
    charts.returning(returning, lang, span),
    key="followup_returning",
    lang=lang,
    summary=charts.returning_summary(returning, lang, span),
    data=partial(charts.returning_table, returning, lang),
    name=text(TEXT, "file_returning", lang),
)
