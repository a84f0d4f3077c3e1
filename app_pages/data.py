"""Données / Data: the data dictionary, the metric definitions, each city's freshness
and quality, and the selected records to download. Only the open tab runs."""

import streamlit as st

from ui.data_tables import download_row, whole_table
from ui.filters import country_name
from ui.frame import current, no_data
from ui.state import set_query, url_choice
from ui.texts import text
from ui.texts.data import TEXT
from ui.texts.platforms import MAPPING
from ui.texts.platforms import TEXT as PLATFORMS
from ui.views import scope_of
from views import batch, data
from views.overview import aggregates

TABS = ["dictionary", "metrics", "quality", "downloads"]

ctx = current()
lang, scope = ctx.lang, scope_of(ctx)
st.title(text(TEXT, "title", lang))
st.caption(text(TEXT, "caption", lang))

labels = {text(TEXT, f"tab_{code}", lang): code for code in TABS}
default = text(TEXT, f"tab_{url_choice('tab', TABS, 'dictionary')}", lang)
tabs = st.tabs(list(labels), default=default, key=f"data_tab_{lang}", on_change="rerun")
chosen = labels.get(st.session_state.get(f"data_tab_{lang}"), "dictionary")
set_query("tab", None if chosen == "dictionary" else chosen)

with tabs[TABS.index(chosen)], batch():  # the tab's queries share one connection
    if chosen == "dictionary":
        st.caption(text(TEXT, "dictionary_intro", lang))
        # Static tables as wide as the page: every description and list of values wraps whole.
        fields, values = data.dictionary_tables(lang)
        st.table(fields, hide_index=True)
        st.subheader(text(TEXT, "accepted_values", lang))
        st.table(values, hide_index=True)
        download_row(data.dictionary_files(lang), lang)
        with st.expander(text(PLATFORMS, "mapping_title", lang), icon=":material/hub:"):
            st.markdown(MAPPING[lang])
    elif chosen == "metrics":
        st.info(text(TEXT, "metrics_intro", lang), icon=":material/info:")
        whole_table(data.metric_definitions(lang), "metrics", lang, row_height=76)
    elif chosen == "quality":
        freshness = data.freshness(scope)
        if not no_data(ctx, freshness, "records"):
            st.caption(text(TEXT, "quality_intro", lang))
            whole_table(data.city_status(scope, freshness, country_name), "quality", lang, row_height=48)
            st.markdown(f"**{text(TEXT, 'legend', lang)}**\n\n{data.flag_legend(lang)}")
    else:
        cities = aggregates(scope)
        if not no_data(ctx, cities):
            st.markdown(data.records_line(scope, cities))
            st.caption(text(TEXT, "records_help", lang))
            download_row(data.records_files(scope), lang)
