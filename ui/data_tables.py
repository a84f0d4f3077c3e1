"""The Data page's widgets: a row of download buttons and a whole table (no inner
scrolling, long texts wrapped on taller rows)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.downloads import download_button
from ui.texts import text
from ui.texts.data import TEXT
from views.data import MIME, Files, column_widths


def download_row(files: Files, lang: str) -> None:
    """One row of download buttons, text key -> (bytes or a callable run on click, file name)."""
    for column, (key, (data, name)) in zip(st.columns(len(files)), files.items(), strict=True):
        mime = MIME[name.rsplit(".", 1)[-1]]
        download_button(
            column,
            text(TEXT, key, lang),
            data,
            name,
            mime,
            key=f"data_{key}",
            icon=":material/download:",
            on_click="ignore",
        )


def whole_table(frame: pd.DataFrame, key: str, lang: str, row_height: int | None = None) -> None:
    """A whole table (no inner scrolling), long texts wrapped on taller rows."""
    options = {
        "hide_index": True,
        "height": "content",
        "row_height": row_height,
        "placeholder": "—",
        "key": f"data_{key}",
    }
    st.dataframe(frame, column_config=column_widths(frame, lang), **options)
