"""History: every load of the user's cities (all of them for coordinators), its original
file, and rollback with a confirmation that says what will change."""

import streamlit as st

from ui import auth
from ui import history as parts
from ui.i18n import current_lang
from ui.texts import text
from ui.texts.history import TEXT
from ui.widgets import escape_markdown

lang, who = current_lang(), auth.current()
cities = auth.city_names(lang)
st.title(text(TEXT, "title", lang))
auth.demo_banner(who, lang)
if who.writable_cities is None:
    st.caption(text(TEXT, "caption_all", lang))
else:
    st.caption(
        text(
            TEXT, "caption_city", lang, cities=", ".join(escape_markdown(cities.get(c, c)) for c in sorted(who.cities))
        )
    )
if (done := st.session_state.pop(parts.DONE_KEY, None)) is not None:
    st.success(text(TEXT, "done", lang, id=done), icon=":material/undo:")

loads = parts.loads_of(who)
if not loads:
    st.info(text(TEXT, "empty", lang), icon=":material/history:")
    st.stop()
st.dataframe(parts.table(loads, cities, lang), hide_index=True, width="stretch", placeholder="—", key="history_table")
load = parts.choose(loads, lang)
left, right = st.columns(2)
with left:
    parts.original_button(load, who, lang)
with right:
    parts.rollback_button(load, who, lang)
