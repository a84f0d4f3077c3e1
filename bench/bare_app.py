"""A second reference for the page benchmark (bench/pages.py): Streamlit's own cost of
the City page's three charts in a multipage app, with nothing of the dashboard around
them — no filters, key figures, captions, tabs or expanders.

Same layout (wide, a sidebar with the page list and a language switch), same database
(ENGAGEMENT_DB), same queries and chart builders as app_pages/city.py for the city with
the most participations. What the dashboard's City page costs above this is what the
dashboard adds; what this costs above the floor is Streamlit drawing those charts."""

import streamlit as st

from charts import city as charts
from charts.trend import trend_by_level
from etl.schema import load_framework, load_schema
from queries import data_version, fetch_selection, frame_facts
from queries.metrics import compute
from queries.selection import from_query

st.set_page_config(page_title="Bare", layout="wide")
st.sidebar.segmented_control("Langue", ["fr", "en"], default="fr", key="bare_lang")


def city() -> None:
    version = data_version()
    selection = from_query({}, frame_facts(version).choices)
    per_city = compute(fetch_selection("aggregates_by_city", selection, version=version, lang="fr")).set_index(
        "city_code"
    )
    code = per_city["participations"].idxmax()
    trend = fetch_selection("city_trend_by_level", selection, version=version, lang="fr", city=code)
    matrix = fetch_selection("city_activities_by_method_and_level", selection, version=version, lang="fr", city=code)
    framework, schema = load_framework(), load_schema()
    st.plotly_chart(trend_by_level(trend, framework, "activities", "month", "fr"), width="stretch", key="trend")
    left, right = st.columns(2)
    left.plotly_chart(charts.proposals_funnel(per_city.loc[code], "fr"), width="stretch", key="funnel")
    right.plotly_chart(charts.method_level_matrix(matrix, schema, framework, "fr"), width="stretch", key="matrix")


titles = ["Vue d'ensemble", "Comparer", "Degrés d'engagement", "Données", "Présenter"]
others = [st.Page(lambda: None, title=title, url_path=f"p{i}") for i, title in enumerate(titles)]
st.navigation([st.Page(city, title="Ville", url_path="ville", default=True), *others]).run()
