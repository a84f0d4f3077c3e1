"""The frame: page config, the shared sidebar (language, filters) and navigation. Nothing else."""

import streamlit as st

from ui import frame
from ui.i18n import t
from ui.sidebar import language_switch

st.set_page_config(page_title="Participation — Mission villes", page_icon=":material/groups:", layout="wide")
lang = language_switch()

pages = [
    st.Page("app_pages/overview.py", title=t("page_overview", lang), icon=":material/dashboard:", default=True),
]
navigation = st.navigation(pages)
frame.build(lang)
navigation.run()
