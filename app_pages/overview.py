"""Vue d'ensemble / Overview: key figures of what is loaded, and the engagement ladder."""

import streamlit as st

from charts.ladder import engagement_ladder
from etl.schema import load_framework
from queries import DatabaseError, data_version, fetch
from queries.metrics import METRICS
from ui.i18n import current_lang, fmt_date, fmt_number, t

lang = current_lang()
st.title(t("overview_title", lang))
st.caption(t("overview_caption", lang))

try:
    version = data_version()
except DatabaseError as exc:
    st.error(exc.fr if lang == "fr" else exc.en)
    st.stop()

status = fetch("data_status", version=version).iloc[0]
if status["has_demo"]:
    st.warning(t("demo_banner", lang), icon=":material/science:")

totals = fetch("overview_totals", version=version).iloc[0]
if totals["activities"] == 0:
    st.info(t("no_data", lang), icon=":material/upload_file:")
    st.stop()

st.caption(
    t(
        "period",
        lang,
        start=fmt_date(totals["first_date"], lang),
        end=fmt_date(totals["last_date"], lang),
        load=fmt_date(status["last_load"], lang, with_time=True),
    )
)
for column, key in zip(st.columns(len(METRICS)), METRICS, strict=True):
    metric = METRICS[key]
    column.metric(metric.label(lang), fmt_number(totals[key], lang), help=metric.definition(lang), border=True)

ladder = fetch("levels_by_city", version=version)
st.plotly_chart(engagement_ladder(ladder, load_framework(), lang), width="stretch", key="ladder")
