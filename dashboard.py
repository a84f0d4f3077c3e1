"""The frame: page config, the shared sidebar and navigation. Nothing else."""

import streamlit as st

from ui.i18n import t
from ui.sidebar import language_switch

st.set_page_config(page_title="Participation — Mission villes", page_icon=":material/groups:", layout="wide")
lang = language_switch()

pages = [
    st.Page("app_pages/overview.py", title=t("page_overview", lang), icon=":material/dashboard:", default=True),
]
st.navigation(pages).run()
