"""The shared sidebar. Each widget here owns its session-state key."""

from __future__ import annotations

import streamlit as st

from ui.i18n import LANGS, current_lang, t

LANG_KEY = "sidebar_lang"


def _on_language_change() -> None:
    chosen = st.session_state[LANG_KEY]
    if chosen is None:  # clicking the active language deselects it: keep the language
        st.session_state[LANG_KEY] = current_lang()
    else:
        st.query_params["lang"] = chosen


def language_switch() -> str:
    """FR/EN switch kept in the URL (?lang=en), so a link keeps its language."""
    lang = current_lang()
    st.session_state.setdefault(LANG_KEY, lang)
    if st.session_state[LANG_KEY] != lang:  # the URL changed (a pasted link): it wins
        st.session_state[LANG_KEY] = lang
    st.sidebar.segmented_control(
        t("language", lang),
        options=list(LANGS),
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
        key=LANG_KEY,
        on_change=_on_language_change,
    )
    return st.session_state[LANG_KEY] or lang
