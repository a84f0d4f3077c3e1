"""Ville / City: one city against the median of mission cities and its activities over time; then,
one tab at a time (only the open one runs): proposals and methods, who takes part, its activities."""

from functools import partial

import pandas as pd
import streamlit as st

from charts import city as charts
from charts import summaries
from charts.periods import span_of
from charts.presentation import level_keys
from charts.trend import trend_by_level
from etl.schema import load_framework, load_schema
from etl.writers import XLSX_MIME, frame_bytes
from queries import batch, fetch, fetch_selection
from queries.cities import labels as city_labels
from queries.metrics import METRICS, cities_in_median, compute, median_of_cities, small_count
from ui import tables
from ui.chart import chart
from ui.downloads import dropped_after
from ui.filters import median_scope
from ui.frame import current, no_data
from ui.i18n import DATE_FORMAT, counted, fmt_date, fmt_number, t
from ui.state import set_query, url_choice
from ui.tabs import url_tabs
from ui.texts import text
from ui.texts.city import TEXT
from ui.widgets import escape_markdown, metric_row


def population_note(about, lang: str) -> str:
    """Which population the figure per 10,000 inhabitants uses (value, source, year,
    perimeter), or why there is none; and the city's remark."""
    remark = escape_markdown(about["remark"]) if isinstance(about["remark"], str) else ""
    if pd.isna(about["population"]):
        return text(TEXT, "no_population", lang, remark=remark)
    year = text(TEXT, "year_unknown", lang) if pd.isna(about["population_year"]) else int(about["population_year"])
    note = text(
        TEXT,
        "population",
        lang,
        population=fmt_number(about["population"], lang),
        source=escape_markdown(about["population_source"]),
        year=year,
        perimeter=escape_markdown(about["perimeter"]),
    )
    return f"{note} {text(TEXT, 'remark', lang, remark=remark)}" if remark else note


# Two rows of four key figures: volume and reach, then depth and follow-up.
FIGURES = ("activities", "participations", "per_10k", "depth_index")
FIGURES += ("adoption_rate", "cocreation_share", "public_response_rate", "stakeholder_diversity")
TABS = ["proposals", "people", "activities"]

ctx = current()
lang, framework, schema = ctx.lang, load_framework(), load_schema()
st.title(text(TEXT, "title", lang))
scope = ctx.selection.for_median()  # the page's city replaces the sidebar's city filter
with batch():  # the page's queries share one connection when they are not cached
    cities = fetch_selection("aggregates_by_city", scope, version=ctx.version, lang=lang)
    if no_data(ctx, cities):
        st.stop()
    per_city = compute(cities).set_index("city_code")
    codes = [c for c in ctx.city_names if c in per_city.index]  # by name in the page's language
    default = next((c for c in ctx.selection.cities if c in codes), per_city["participations"].idxmax())
    names, choice = ctx.city_names, url_choice("ville", codes, default)
    label = city_labels(ctx.cities, lang)
    code = st.selectbox(
        text(TEXT, "city", lang),
        codes,
        placeholder=t("choose_one", lang),
        index=codes.index(choice),
        format_func=lambda c: label.get(c, str(c)),
        key="city_city",
    )
    set_query("ville", code)
    dates = {"start": fmt_date(scope.start, lang), "end": fmt_date(scope.end, lang)}
    span = span_of(scope.start, scope.end)  # a month cut by today is hatched, not read as a drop
    st.caption(text(TEXT, "caption", lang, city=escape_markdown(label[code]), **dates))
    about = fetch("cities", {"lang": lang}, version=ctx.version).set_index("code").loc[code]
    if not about["member"]:
        st.warning(text(TEXT, "outside", lang, city=escape_markdown(names[code])), icon=":material/public_off:")
    if no_data(ctx, per_city.loc[[code]]):
        st.stop()
    row = per_city.loc[code]
    reference = t("median_gap", lang, **median_scope(scope, cities_in_median(cities), lang))
    metric_row([METRICS[k] for k in FIGURES], row, median_of_cities(cities), lang, reference)
    st.caption(reference)
    st.caption(population_note(about, lang))
    trend = fetch_selection("city_trend_by_level", scope, version=ctx.version, lang=lang, city=code)
    chart(
        trend_by_level(trend, framework, "activities", "month", lang, span),
        key="city_trend",
        lang=lang,
        summary=summaries.trend_by_level(trend, framework, "activities", "month", lang, span),
        data=partial(tables.trend_by_level, trend, framework, lang),
        name=f"{text(TEXT, 'file_trend', lang)}_{code}",
        levels=level_keys(framework, lang),
    )
    tab, chosen = url_tabs(TABS, lambda t: text(TEXT, f"tab_{t}", lang), param="tab", key="city_tab", lang=lang)
    left, right = tab.columns(2) if chosen != "activities" else (tab, tab)
    if chosen == "proposals":
        chart(
            charts.proposals_funnel(row, lang),
            key="city_funnel",
            lang=lang,
            summary=summaries.proposals_funnel(row, names[code], lang),
            data=partial(tables.proposals_funnel, row, lang),
            name=f"{text(TEXT, 'file_funnel', lang)}_{code}",
            container=left,
        )
        matrix = fetch_selection(
            "city_activities_by_method_and_level", scope, version=ctx.version, lang=lang, city=code
        )
        chart(
            charts.method_level_matrix(matrix, schema, framework, lang),
            key="city_matrix",
            lang=lang,
            summary=summaries.method_level_matrix(matrix, schema, framework, lang),
            data=partial(tables.method_level_matrix, matrix, schema, framework, lang),
            name=f"{text(TEXT, 'file_matrix', lang)}_{code}",
            container=right,
        )
    elif chosen == "people":
        chart(
            charts.stakeholder_mix(row, schema, lang),
            key="city_stakeholders",
            lang=lang,
            summary=summaries.stakeholder_mix(row, schema, charts.STAKEHOLDER_FIELDS, lang),
            data=partial(tables.by_field, row, charts.STAKEHOLDER_FIELDS, schema, lang),
            name=f"{text(TEXT, 'file_stakeholders', lang)}_{code}",
            container=left,
        )
        if charts.inclusiveness_reported(row):
            chart(
                charts.inclusiveness(row, METRICS, small_count, lang),
                key="city_inclusiveness",
                lang=lang,
                summary=summaries.inclusiveness(row, METRICS, charts.INCLUSIVENESS, lang),
                data=partial(tables.inclusiveness, row, lang),
                name=f"{text(TEXT, 'file_inclusiveness', lang)}_{code}",
                container=right,
            )
        else:
            right.info(text(TEXT, "no_inclusiveness", lang), icon=":material/diversity_3:")
    else:
        search = tab.text_input(text(TEXT, "search", lang), help=text(TEXT, "search_help", lang), key="city_search")
        rows = fetch_selection(
            "city_activities", scope, version=ctx.version, lang=lang, city=code, search=search.strip()
        )
        table = charts.activities_table(rows, schema, lang)
        if table.empty:
            tab.info(text(TEXT, "no_rows", lang, search=escape_markdown(search.strip())), icon=":material/search_off:")
            st.stop()
        tab.caption(text(TEXT, "rows", lang, n=counted(len(table), lang, *text(TEXT, "activity", lang).split("|"))))
        dates = {schema.field("date_debut").title(lang): st.column_config.DateColumn(format=DATE_FORMAT[lang])}
        tab.dataframe(table, hide_index=True, width="stretch", column_config=dates, placeholder="—", key="city_table")
        name = f"{text(TEXT, 'file', lang)}_{code}"
        # The files are built on click only (an XLSX of a large city takes seconds).
        for column, fmt, mime in zip(tab.columns(2), ("csv", "xlsx"), ("text/csv", XLSX_MIME), strict=True):
            data = dropped_after(partial(frame_bytes, table, fmt, lang))
            column.download_button(text(TEXT, fmt, lang), data, f"{name}.{fmt}", mime, key=f"city_{fmt}")
