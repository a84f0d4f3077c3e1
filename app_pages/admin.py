"""Administration (coordinators): accounts and the reference list of cities."""

import streamlit as st

from ui import admin, auth
from ui.i18n import current_lang
from ui.texts import text
from ui.texts.admin import TEXT

lang, who = current_lang(), auth.current()
if not who.can_manage():
    st.stop()
cities = auth.city_names()
st.title(text(TEXT, "title", lang))
auth.demo_banner(who, lang)
st.caption(text(TEXT, "caption", lang))
admin.notice()

st.subheader(text(TEXT, "accounts", lang))
rows = admin.account_table(cities, lang)
admin.account_actions(rows, who, lang)
admin.add_account_form(who, cities, lang)

st.subheader(text(TEXT, "cities", lang))
st.dataframe(
    {"code": list(cities), text(TEXT, "city_name", lang): list(cities.values())}, hide_index=True, placeholder="—"
)
admin.add_city_form(who, lang)
