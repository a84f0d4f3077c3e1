"""The bare twins of the page benchmark (bench/pages.py): for every dashboard page, a page
at the same URL path that draws that page's own charts (and tables) for its default view,
and nothing else — no sidebar filters, no key figures, no titles, captions, summaries,
tabs or expanders.

A multipage app like the dashboard (wide layout; a sidebar with the page list and a
language switch), on the same database (ENGAGEMENT_DB), with the same queries, the same
default selection (`from_query({}, choices)`, what the sidebar gives an empty URL) and the
same chart builders as app_pages/*.py. A page's warm browser time over its twin's is what
the dashboard's frame and texts cost above what Streamlit needs to draw that page's charts.
"""

from dataclasses import replace

import streamlit as st

from charts import city as city_charts
from charts import follow_up
from charts.compare import grain_for, ranking, small_multiples
from charts.degrees import depth_over_time, lens_correspondence, lens_distribution
from charts.ladder import engagement_ladder
from charts.map import city_map
from charts.periods import span_of
from charts.trend import trend_by_level
from etl.schema import load_framework, load_schema
from queries import batch, data_version, dictionary, fetch_selection, frame_facts
from queries.lenses import BASE, lens, lenses, to_lens
from queries.metrics import METRICS, compute, measure, median_of_cities, total
from queries.selection import from_query
from ui.frame import europe_geojson
from ui.i18n import fmt_metric

LANG = "fr"
st.set_page_config(page_title="Bare", layout="wide")
st.sidebar.segmented_control("Langue", ["fr", "en"], default="fr", key="bare_lang")


def _selection():
    version = data_version()
    return version, from_query({}, frame_facts(version).choices)


def _plot(fig, key: str, container=st) -> None:
    container.plotly_chart(fig, width="stretch", key=key)


def overview() -> None:
    version, selection = _selection()
    framework = load_framework()
    with batch():
        per_city = compute(fetch_selection("aggregates_by_city", selection, version=version, lang=LANG))
        levels = fetch_selection("levels_by_city", selection, version=version, lang=LANG)
        trend = fetch_selection("trend_by_level", selection, version=version, lang=LANG, grain="month")
    span = span_of(selection.start, selection.end)
    _plot(city_map(per_city, europe_geojson(), framework, LANG), "map")
    _plot(engagement_ladder(levels, framework, LANG), "ladder")
    _plot(trend_by_level(trend, framework, "activities", "month", LANG, span), "trend")


def city() -> None:
    version, selection = _selection()
    framework, schema, scope = load_framework(), load_schema(), selection.for_median()
    with batch():
        cities = fetch_selection("aggregates_by_city", scope, version=version, lang=LANG)
        per_city = compute(cities).set_index("city_code")
        code = per_city["participations"].idxmax()
        trend = fetch_selection("city_trend_by_level", scope, version=version, lang=LANG, city=code)
        matrix = fetch_selection("city_activities_by_method_and_level", scope, version=version, lang=LANG, city=code)
    span = span_of(scope.start, scope.end)
    _plot(trend_by_level(trend, framework, "activities", "month", LANG, span), "city_trend")
    left, right = st.columns(2)
    _plot(city_charts.proposals_funnel(per_city.loc[code], LANG), "city_funnel", left)
    _plot(city_charts.method_level_matrix(matrix, schema, framework, LANG), "city_matrix", right)


RANKED = "activities participations per_10k depth_index cocreation_share adoption_rate public_response_rate".split()


def compare() -> None:
    version, selection = _selection()
    framework = load_framework()
    with batch():
        candidates = fetch_selection("compare_cities_by_participations", selection, version=version, lang=LANG)
        chosen = replace(selection, cities=tuple(candidates["city_code"].tolist()[:6]))
        per_city = compute(fetch_selection("aggregates_by_city", chosen, version=version, lang=LANG))
        table = ranking(per_city, "participations", RANKED)
        grain = grain_for(selection.start, selection.end)
        trend = fetch_selection("compare_trend_by_city_level", chosen, version=version, lang=LANG, grain=grain)
        trend = trend.assign(per_10k=METRICS["per_10k"].compute(trend))
        levels = fetch_selection("levels_by_city", chosen, version=version, lang=LANG)
    span = span_of(selection.start, selection.end)
    cities = table["city"].tolist()
    _plot(small_multiples(trend, cities, framework, "participations", grain, LANG, span), "cmp_multiples")
    formats = {k: (lambda v, unit=METRICS[k].unit: fmt_metric(v, unit, LANG)) for k in RANKED}
    st.dataframe(table.style.format(formats), hide_index=True, height="content", key="cmp_ranking")
    _plot(engagement_ladder(levels, framework, LANG), "cmp_ladder")


def degrees() -> None:
    version, selection = _selection()
    framework = load_framework()
    all_lenses = lenses(framework)
    with batch():
        levels = fetch_selection("levels_by_city", selection, version=version, lang=LANG)
        depth = fetch_selection("degrees_depth_by_quarter", selection, version=version, lang=LANG, per_city=False)
    depth = depth.assign(depth_index=METRICS["depth_index"].compute(depth))
    span = span_of(selection.start, selection.end)
    _plot(lens_correspondence(all_lenses, framework, LANG), "deg_lenses")
    _plot(lens_distribution(to_lens(levels, framework, BASE), lens(framework, BASE), "activities", LANG), "deg_shares")
    _plot(depth_over_time(depth, framework, LANG, span), "deg_depth")


def followup() -> None:
    version, selection = _selection()
    with batch():
        cities = fetch_selection("aggregates_by_city", selection, version=version, lang=LANG)
        mission = fetch_selection("aggregates_by_city", selection.for_median(), version=version, lang=LANG)
        returning = fetch_selection("follow_up_returning_by_quarter", selection, version=version, lang=LANG)
    per_city, everything = compute(cities), total(cities)
    median_of_cities(mission)
    steps = follow_up.median_steps(compute(mission))
    _plot(follow_up.funnel(everything, steps, "Ensemble de la sélection", LANG), "followup_funnel")
    left, right = st.columns(2)
    _plot(follow_up.delays(follow_up.delay_classes(per_city, LANG), LANG), "followup_delays", left)
    _plot(follow_up.ranking(follow_up.ranked(per_city), LANG), "followup_ranking", right)
    if not per_city["structure_year"].isna().all():
        _plot(follow_up.representation(follow_up.with_ratios(per_city), LANG), "followup_ratios")
    returning = returning.assign(returning_share=measure("returning_share", returning))
    _plot(follow_up.returning(returning, LANG, span_of(selection.start, selection.end)), "followup_returning")


def data() -> None:
    fields, values = dictionary.dictionary_parts(dictionary.dictionary(load_schema(), LANG), LANG)
    st.table(fields, hide_index=True)
    st.table(values, hide_index=True)


TWINS = [
    (overview, "Vue d'ensemble", None),
    (city, "Ville", "ville"),
    (compare, "Comparer", "comparer"),
    (degrees, "Degrés d'engagement", "degres"),
    (followup, "Suites données", "suites"),
    (data, "Données", "donnees"),
]
st.navigation([st.Page(draw, title=title, url_path=path, default=path is None) for draw, title, path in TWINS]).run()
