"""The City page's list of its activities: a search over the titles, the table and its
CSV and XLSX downloads (built on click only: an XLSX of a large city takes seconds)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from charts.format import escape_markdown
from etl.schema import load_schema
from etl.writers import XLSX_MIME, frame_bytes
from ui.downloads import download_button
from ui.i18n import DATE_FORMAT, counted
from ui.texts import text
from ui.texts.city import TEXT
from views import Scope
from views.city import activities


def activities_table(scope: Scope, tab) -> None:
    """The scope's city's activities whose title holds what the search box says; stops
    the page, saying so, when none does."""
    lang = scope.lang
    search = tab.text_input(text(TEXT, "search", lang), help=text(TEXT, "search_help", lang), key="city_search")
    table = activities(scope, search)
    if table.empty:
        tab.info(text(TEXT, "no_rows", lang, search=escape_markdown(search.strip())), icon=":material/search_off:")
        st.stop()
    tab.caption(text(TEXT, "rows", lang, n=counted(len(table), lang, *text(TEXT, "activity", lang).split("|"))))
    dates = {load_schema().field("date_debut").title(lang): st.column_config.DateColumn(format=DATE_FORMAT[lang])}
    tab.dataframe(table, hide_index=True, width="stretch", column_config=dates, placeholder="—", key="city_table")
    name = f"{text(TEXT, 'file', lang)}_{scope.city}"
    for column, fmt, mime in zip(tab.columns(2), ("csv", "xlsx"), ("text/csv", XLSX_MIME), strict=True):
        build = partial(frame_bytes, table, fmt, lang)
        download_button(column, text(TEXT, fmt, lang), build, f"{name}.{fmt}", mime, key=f"city_{fmt}")
