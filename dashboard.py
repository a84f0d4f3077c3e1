"""The frame: page config, the shared sidebar (language, filters) and navigation. Nothing else."""

import streamlit as st

from ui import frame
from ui.i18n import t
from ui.sidebar import language_switch

st.set_page_config(page_title="Participation — Mission villes", page_icon=":material/groups:", layout="wide")
lang = language_switch()

pages = [
    st.Page("app_pages/overview.py", title=t("page_overview", lang), icon=":material/dashboard:", default=True),
    st.Page("app_pages/city.py", title=t("page_city", lang), icon=":material/location_city:", url_path="ville"),
    st.Page(
        "app_pages/compare.py", title=t("page_compare", lang), icon=":material/compare_arrows:", url_path="comparer"
    ),
    st.Page("app_pages/degrees.py", title=t("page_degrees", lang), icon=":material/stairs:", url_path="degres"),
    st.Page("app_pages/data.py", title=t("page_data", lang), icon=":material/table_view:", url_path="donnees"),
]
navigation = st.navigation(pages)
frame.build(lang)
navigation.run()
