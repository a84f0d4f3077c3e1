"""What the frame (dashboard.py) works out once per run and every page reads: the
language, the data version, the selection, and whether the data are demo data."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from queries import DatabaseError, batch, data_version, frame_facts
from queries.cities import ReferenceCity
from queries.selection import Choices, Selection
from ui import filters
from ui.i18n import t

CONTEXT_KEY = "frame_context"


@dataclass(frozen=True)
class Context:
    lang: str
    version: int
    choices: Choices
    selection: Selection
    cities: dict[str, ReferenceCity]  # every reference city, by code
    city_names: dict[str, str]  # code -> name in the page's language, alphabetical
    has_demo: bool
    has_records: bool
    last_load: object


def build(lang: str) -> Context | None:
    """Read the data version and draw the filters; on a database problem say what to do
    and return None (pages then stop)."""
    try:
        with batch():  # after a load, the version and the frame's facts share one connection
            version = data_version()
            facts = frame_facts(version)
    except DatabaseError as exc:
        st.error(exc.fr if lang == "fr" else exc.en, icon=":material/database:")
        st.session_state[CONTEXT_KEY] = None
        return None
    selection = filters.sidebar(facts.choices, facts.cities, lang)
    if facts.has_demo:
        st.warning(t("demo_banner", lang), icon=":material/science:")
    if facts.has_open_data:
        st.info(t("open_data_banner", lang), icon=":material/public:")
    has_records = bool(facts.choices.cities)
    names = facts.city_names(lang)
    ctx = Context(
        lang, version, facts.choices, selection, facts.cities, names, facts.has_demo, has_records, facts.last_load
    )
    st.session_state[CONTEXT_KEY] = ctx
    return ctx


def current() -> Context:
    """The context of this run; stops the page when the frame could not build one."""
    ctx = st.session_state.get(CONTEXT_KEY)
    if ctx is None:
        st.stop()
    return ctx


def no_data(ctx: Context, frame: pd.DataFrame, column: str = "activities") -> bool:
    """Show the right empty state and return True when there is nothing to show: no data
    loaded at all (say how to load), or nothing matching the filters (say how to widen)."""
    if not ctx.has_records:
        st.info(t("no_data", ctx.lang), icon=":material/upload_file:")
        return True
    if frame.empty or frame[column].sum() == 0:
        st.info(t("no_match", ctx.lang), icon=":material/filter_alt_off:")
        return True
    return False
