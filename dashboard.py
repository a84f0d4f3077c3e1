"""The frame: page config, sign-in, the shared sidebar (language, account, filters) and
navigation over the pages the signed-in role may use. Nothing else."""

import time

import streamlit as st

from etl.settings import settings
from ui import auth, frame
from ui.faults import database_faults, upgrade_once
from ui.i18n import current_lang, t
from ui.runlog import log_run
from ui.sidebar import language_switch
from ui.widget_texts import page_texts

started = time.perf_counter()

st.set_page_config(page_title="Participation — Mission villes", page_icon="🏙️", layout="wide")
page_texts(current_lang())  # first, so that no caption is painted before its style
lang = language_switch()
presenting = st.query_params.get("present") == "1"  # presentation mode: no navigation, the Present page


def page(path: str, key: str, icon: str, url: str | None = None, **kwargs) -> st.Page:
    return st.Page(f"app_pages/{path}", title=t(key, lang), icon=f":material/{icon}:", url_path=url, **kwargs)


pages = [
    page("overview.py", "page_overview", "dashboard", default=True),
    page("city.py", "page_city", "location_city", "ville"),
    page("compare.py", "page_compare", "compare_arrows", "comparer"),
    page("degrees.py", "page_degrees", "stairs", "degres"),
    page("followup.py", "page_followup", "task_alt", "suites"),
    page("data.py", "page_data", "table_view", "donnees"),
    presenter := page("present.py", "page_present", "slideshow", "presenter"),
]
upgrade_once()
who = auth.principal(lang)
# Pages a role may not use are not registered: a hidden page would still answer its URL.
if who is not None and who.can_upload():
    pages += [
        page("upload.py", "page_upload", "upload_file", "deposer"),
        page("history.py", "page_history", "history", "historique"),
    ]
if who is not None and who.can_manage():
    pages.append(page("admin.py", "page_admin", "manage_accounts", "administration"))
# With ENGAGEMENT_VIEWERS_SIGN_IN, an anonymous visitor gets the sign-in and nothing else:
# no page, no sidebar filter (their options are the cities, countries and dates of the data).
anonymous_only = who is None and not settings().demo and settings().viewers_sign_in
if who is None and not settings().demo:
    signin = page("signin.py", "page_signin", "login", "connexion")
    pages = [signin] if anonymous_only else [*pages, signin]

navigation = st.navigation(pages, position="hidden" if presenting else "sidebar")
if presenting and navigation.url_path != "presenter" and presenter in pages:  # ?present=1 on any page presents
    st.switch_page(presenter, query_params={k: st.query_params.get_all(k) for k in st.query_params})
try:
    with database_faults(lang):  # a locked or damaged database is explained, not a traceback
        if not anonymous_only:
            frame.build(lang)
        navigation.run()
finally:  # also when the page stops early (st.stop) or asks for a rerun
    log_run(navigation.url_path, time.perf_counter() - started)
