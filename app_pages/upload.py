"""Upload: a city team puts its own records in — preview, checks, fixes, then the load."""

import streamlit as st

from ui import auth, exports, upload
from ui.i18n import current_lang
from ui.texts import text
from ui.texts.upload import TEXT
from ui.widget_texts import uploader_texts

lang, who = current_lang(), auth.current()
limit = upload.max_mb()
st.title(text(TEXT, "title", lang))
auth.demo_banner(who, lang)
st.caption(text(TEXT, "caption", lang, limit=limit))
upload.templates(lang)

cities = auth.city_names(lang)
city = upload.city_choice(who, auth.city_names(lang, local=True), lang)
TYPES = ["csv", "txt", "tsv", "xlsx", "pb", "zip"]  # .pb: Pabulib; .zip: Decidim's open data
uploader_texts("upload_file", lang, limit, TYPES)  # Streamlit's button and limit line in the page's language
uploaded = st.file_uploader(text(TEXT, "file", lang), type=TYPES, max_upload_size=limit, key="upload_file")
done = st.session_state.get(upload.DONE_KEY)
if done is not None and uploaded is not None and done[0] == uploaded.file_id:
    upload.summary(done[1], cities, lang)  # this file is loaded: what it did, and where to see it
    st.stop()
if uploaded is None:
    st.info(text(TEXT, "waiting", lang), icon=":material/upload_file:")
    st.stop()

work = upload.working_file(uploaded, limit, lang)
if exports.is_export(work):  # Pabulib, Decidim, CONSUL: activities derived, levels and figures set
    exports.step(work, city, lang)
with upload.reading_slot(lang), upload.opened(work) as (con, path):
    hand = upload.mapping_step(con, path, city, upload.field_names(), lang)
    report = upload.check(con, path, who, city, hand)
    upload.report_step(con, path, work, report, lang)
if report.errors:
    st.stop()
result = upload.load_step(work, who, city, hand, report.rows_read - report.blank, lang)
if result is not None:
    st.session_state[upload.DONE_KEY] = (uploaded.file_id, result)
    st.rerun()
