"""Données / Data: the data dictionary, the metric definitions, each city's freshness
and quality, and the selected records to download. Only the open tab runs."""

from functools import partial

import streamlit as st

from etl.paths import SCHEMA_FILE
from etl.schema import load_schema
from etl.templates import template_csv, template_xlsx
from etl.writers import frame_bytes
from queries import batch, dictionary, fetch_selection
from queries.metrics import total
from ui.downloads import dropped_after
from ui.filters import country_name
from ui.frame import current, no_data
from ui.i18n import fmt_date, fmt_metric
from ui.state import set_query, url_choice
from ui.texts import counted_text, text
from ui.texts.data import TEXT
from ui.texts.platforms import MAPPING
from ui.texts.platforms import TEXT as PLATFORMS

TABS = ["dictionary", "metrics", "quality", "downloads"]
FORMATS = ("csv", "xlsx", "parquet")


def download_row(files: dict) -> None:
    """One row of download buttons, text key -> (bytes or a callable run on click, file name)."""
    for column, (key, (data, name)) in zip(st.columns(len(files)), files.items(), strict=True):
        mime = dictionary.MIME[name.rsplit(".", 1)[-1]]
        column.download_button(
            text(TEXT, key, lang),
            dropped_after(data) if callable(data) else data,
            name,
            mime,
            key=f"data_{key}",
            icon=":material/download:",
            on_click="ignore",
        )


def table(frame, key: str, row_height: int | None = None) -> None:
    """A whole table (no inner scrolling), long texts wrapped on taller rows."""
    options = {
        "hide_index": True,
        "height": "content",
        "row_height": row_height,
        "placeholder": "—",
        "key": f"data_{key}",
    }
    st.dataframe(frame, column_config=dictionary.column_widths(frame, lang), **options)


ctx = current()
lang, sel = ctx.lang, ctx.selection
st.title(text(TEXT, "title", lang))
st.caption(text(TEXT, "caption", lang))

labels = {text(TEXT, f"tab_{code}", lang): code for code in TABS}
default = text(TEXT, f"tab_{url_choice('tab', TABS, 'dictionary')}", lang)
tabs = st.tabs(list(labels), default=default, key=f"data_tab_{lang}", on_change="rerun")
chosen = labels.get(st.session_state.get(f"data_tab_{lang}"), "dictionary")
set_query("tab", None if chosen == "dictionary" else chosen)

with tabs[TABS.index(chosen)], batch():  # the tab's queries share one connection
    if chosen == "dictionary":
        st.caption(text(TEXT, "dictionary_intro", lang))
        # Static tables as wide as the page: every description and list of values wraps whole.
        fields, values = dictionary.dictionary_parts(dictionary.dictionary(load_schema(), lang), lang)
        st.table(fields, hide_index=True)
        st.subheader(text(TEXT, "accepted_values", lang))
        st.table(values, hide_index=True)
        name, templates = text(TEXT, "template_name", lang), {"csv": template_csv, "xlsx": template_xlsx}
        files = {f"template_{fmt}": (partial(build, lang), f"{name}.{fmt}") for fmt, build in templates.items()}
        download_row({"schema_file": (SCHEMA_FILE.read_bytes(), SCHEMA_FILE.name)} | files)
        with st.expander(text(PLATFORMS, "mapping_title", lang), icon=":material/hub:"):
            st.markdown(MAPPING[lang])
    elif chosen == "metrics":
        st.info(text(TEXT, "metrics_intro", lang), icon=":material/info:")
        table(dictionary.metric_definitions(lang), "metrics", row_height=76)
    elif chosen == "quality":
        freshness = fetch_selection("data_freshness_by_city", sel, version=ctx.version, lang=lang)
        if not no_data(ctx, freshness, "records"):
            st.caption(text(TEXT, "quality_intro", lang))
            quality = fetch_selection("data_quality_by_city", sel, version=ctx.version, lang=lang)
            status = dictionary.city_status(freshness, quality, lang, fmt_date, fmt_metric, country_name)
            table(status, "quality", row_height=48)
            st.markdown(f"**{text(TEXT, 'legend', lang)}**\n\n{dictionary.flag_legend(lang)}")
    else:
        cities = fetch_selection("aggregates_by_city", sel, version=ctx.version, lang=lang)
        if not no_data(ctx, cities):
            count = counted_text(TEXT, "n_records", total(cities)["activities"], lang)
            period = {"start": fmt_date(sel.start, lang), "end": fmt_date(sel.end, lang)}
            st.markdown(text(TEXT, "records_count", lang, count=count, **period))
            st.caption(text(TEXT, "records_help", lang))
            records = fetch_selection("data_selected_records", sel, version=ctx.version, lang=lang)
            name = text(TEXT, "records_name", lang, start=sel.start.isoformat(), end=sel.end.isoformat())
            files = {f"download_{f}": (partial(frame_bytes, records, f, lang), f"{name}.{f}") for f in FORMATS}
            download_row(files)
