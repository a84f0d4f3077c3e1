"""Tabs of which only the open one runs, kept in the URL.

A page's secondary charts and tables go in such tabs: what a tab holds is neither
queried, built nor sent to the browser until the tab is opened. Drawing a plotly chart
costs the browser a few tenths of a second (Streamlit draws each twice), so a page that
draws everything at once takes several times longer to show than its first view alone.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.state import set_query, url_choice


def url_tabs(codes: list[str], label: Callable[[str], str], *, param: str, key: str, lang: str):
    """Draw one tab per code (titles from `label`) and return the open tab's container and
    code. The open tab is the URL parameter `param` (left out for the first tab), so a
    link opens the same tab; a click on another tab reruns the page."""
    labels = {label(code): code for code in codes}
    state = f"{key}_{lang}"  # the titles change with the language: another widget
    default = label(url_choice(param, codes, codes[0]))
    tabs = st.tabs(list(labels), default=default, key=state, on_change="rerun")
    chosen = labels.get(st.session_state.get(state), codes[0])
    set_query(param, None if chosen == codes[0] else chosen)
    return tabs[codes.index(chosen)], chosen
