"""Comparer / Compare: 2 to 12 cities side by side, over the sidebar selection: small multiples and
a ranking; then, one tab at a time (only the open one runs): level profiles, intensity against depth."""

from dataclasses import replace
from functools import partial

import streamlit as st

from charts import summaries
from charts.compare import grain_for, intensity_depth, ranking, small_multiples
from charts.ladder import engagement_ladder
from charts.periods import span_of
from charts.presentation import level_keys
from etl.schema import load_framework
from queries import batch, fetch_selection
from queries.cities import labels as city_labels
from queries.metrics import METRICS, cities_in_median, compute, median_of_cities
from ui import tables
from ui.chart import chart
from ui.filters import city_countries, left_out, left_out_note, median_scope
from ui.frame import current, no_data
from ui.i18n import fmt_date, fmt_metric, t
from ui.state import set_query, url_switch
from ui.tabs import url_tabs
from ui.texts import text
from ui.texts.compare import TEXT
from ui.widgets import escape_markdown, name_width

RANKED = "activities participations per_10k depth_index cocreation_share adoption_rate public_response_rate".split()
MAX_CITIES = 12
PER = ["raw", "capita"]  # participations as counted, or per 10,000 inhabitants
ctx = current()
lang, framework, selection = ctx.lang, load_framework(), ctx.selection
say = partial(text, TEXT, lang=lang)  # this page's texts in the language
st.title(text(TEXT, "title", lang))
st.caption(f"{text(TEXT, 'caption', lang)} {fmt_date(selection.start, lang)} – {fmt_date(selection.end, lang)}")
with batch():  # the page's queries share one connection when they are not cached
    # Sidebar cities first, then the most participations: the default is the head of this list.
    candidates = fetch_selection("compare_cities_by_participations", selection, version=ctx.version, lang=lang)
    if no_data(ctx, candidates[candidates["in_city_filter"]]):  # nothing in the sidebar's selection
        st.stop()
    options = candidates["city_code"].tolist()
    default = [c for c in selection.cities if c in options] if 2 <= len(selection.cities) <= MAX_CITIES else options[:6]
    linked = [c for c in dict.fromkeys(st.query_params.get_all("compare")) if c in options][:MAX_CITIES]
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    label = city_labels(ctx.cities, lang)
    asked = left.multiselect(
        text(TEXT, "cities", lang),
        [c for c in ctx.city_names if c in options],  # by name in the page's language
        default=linked or default,
        format_func=lambda code: label.get(code, str(code)),  # any value: see the note below
        max_selections=MAX_CITIES,
        placeholder=text(TEXT, "placeholder", lang),
        select_all=False,  # at most 12 cities: "select all" would mean none (and Streamlit writes it in English)
        help=text(TEXT, "cities_help", lang),
        key="cmp_cities",
    )
    per = url_switch(
        right, say("per"), PER, param="per", default="raw", format_func=say, help=say("per_help"), key="cmp_per"
    )
    # A filter that takes out a compared city (Streamlit keeps it as a value, the URL names it)
    # drops it here, and the page says which and why.
    codes = [c for c in asked if c in options]
    countries = city_countries(ctx.version)
    asked_for = [*st.query_params.get_all("compare"), *asked]
    scope = selection.country_scope()  # the countries the country and group filters leave
    outside = [c for c in asked_for if c in countries and scope is not None and countries[c] not in scope]
    if dropped := left_out("cmp_dropped", outside, options, codes):
        st.info(left_out_note(dropped, selection, ctx.city_names, countries, lang), icon=":material/filter_alt:")
    set_query("compare", codes)
    if len(codes) < 2:
        st.info(text(TEXT, "too_few", lang), icon=":material/compare_arrows:")
        st.stop()
    chosen = replace(selection, cities=tuple(codes))
    per_city = compute(fetch_selection("aggregates_by_city", chosen, version=ctx.version, lang=lang))
    if no_data(ctx, per_city):
        st.stop()
    measure = "per_10k" if per == "capita" else "participations"
    table = ranking(per_city, measure, RANKED)
    grain = grain_for(selection.start, selection.end)
    trend = fetch_selection("compare_trend_by_city_level", chosen, version=ctx.version, lang=lang, grain=grain)
    trend = trend.assign(per_10k=METRICS["per_10k"].compute(trend))
    span = span_of(selection.start, selection.end)  # a period cut by today is hatched, not read as a drop
    multiples = small_multiples(trend, table["city"].tolist(), framework, measure, grain, lang, span)
chart(
    multiples,
    key="cmp_multiples",
    lang=lang,
    summary=summaries.small_multiples(trend, table["city"].tolist(), measure, lang),
    data=partial(tables.small_multiples, trend, framework, lang),
    name=say("file_multiples"),
    levels=level_keys(framework, lang),
)
st.subheader(text(TEXT, "ranking", lang))
st.caption(text(TEXT, "ranking_caption", lang, measure=METRICS[measure].label(lang).lower()))
formats = {k: (lambda v, unit=METRICS[k].unit: fmt_metric(v, unit, lang)) for k in RANKED}
labels = {k: st.column_config.Column(METRICS[k].label(lang), help=METRICS[k].help(lang)) for k in RANKED}
labels |= {"rank": st.column_config.Column(text(TEXT, "rank", lang), pinned=True)}
labels |= {"city": st.column_config.Column(text(TEXT, "city", lang), pinned=True, width=name_width(table["city"]))}
st.dataframe(
    table.style.format(formats),
    column_config=labels,
    hide_index=True,
    height="content",
    placeholder="—",  # a figure per 10,000 inhabitants without a population: the caption below says why
    key="cmp_ranking",
)
for key, chosen_cities in (("no_population", per_city["population"].isna()), ("outside", ~per_city["member"])):
    if chosen_cities.any():
        st.caption(say(key, cities=", ".join(escape_markdown(c) for c in per_city.loc[chosen_cities, "city"])))
tab, shown = url_tabs(["levels", "scatter"], lambda t: say(f"tab_{t}"), param="tab", key="cmp_tab", lang=lang)
if shown == "levels":
    levels = fetch_selection("levels_by_city", chosen, version=ctx.version, lang=lang)
    chart(
        engagement_ladder(levels, framework, lang),
        key="cmp_ladder",
        lang=lang,
        summary=summaries.engagement_ladder(levels, framework, lang),
        data=partial(tables.engagement_ladder, levels, framework, lang),
        name=say("file_levels"),
        levels=level_keys(framework, lang),
        container=tab,
    )
else:
    mission = fetch_selection("aggregates_by_city", selection.for_median(), version=ctx.version, lang=lang)
    median = median_of_cities(mission)
    chart(
        intensity_depth(per_city, median, framework, lang),
        key="cmp_scatter",
        lang=lang,
        summary=summaries.intensity_depth(per_city, median, lang),
        data=partial(tables.intensity_depth, per_city, lang),
        name=say("file_scatter"),
        container=tab,
    )
    tab.caption(t("median_lines", lang, **median_scope(selection.for_median(), cities_in_median(mission), lang)))
