"""A chart as every page should show it: the figure with its one-sentence summary (as
the chart's accessible name and as visible text), and an expander with its data table
and downloads — PNG and SVG at presentation size (1280×720, large type), CSV and XLSX
neutralised against formulas (etl.writers.frame_bytes). Files are built on click only.

Widget keys all start with the `key` given, so each chart owns its state.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.format import escape_markdown, fmt_number
from charts.presentation import present
from etl.writers import XLSX_MIME, frame_bytes
from exports import images
from ui.downloads import download_button
from ui.texts import text
from ui.texts.present import TEXT


def figure_table(fig: go.Figure, lang: str = "fr") -> pd.DataFrame:
    """The values a figure draws, one row per point: series (the trace's name), x, y,
    headed by the axis titles. For charts whose caller has no better table."""
    x_title = fig.layout.xaxis.title.text or "x"
    y_title = fig.layout.yaxis.title.text or "y"
    series = text(TEXT, "col_series", lang)
    rows = []
    for trace in fig.data:
        xs, ys = getattr(trace, "x", None), getattr(trace, "y", None)
        if xs is None or ys is None:
            continue
        rows += [{series: trace.name or "", x_title: x, y_title: y} for x, y in zip(xs, ys, strict=False)]
    return pd.DataFrame(rows)


def shown(table: pd.DataFrame, lang: str):
    """The table as displayed: numbers in the language's format (1 234,5), whole numbers
    without decimals, others with two; sorting still uses the values."""
    numeric = table.select_dtypes("number")
    whole = numeric.columns[(numeric.fillna(0) % 1 == 0).all()]  # counts, even when stored as floats
    formats = {c: partial(fmt_number, lang=lang, decimals=0 if c in whole else 2) for c in numeric.columns}
    return table.style.format(formats, na_rep="—") if formats else table


MIME = {**images.FORMATS, "csv": "text/csv", "xlsx": XLSX_MIME}


def _image(fig: go.Figure, fmt: str, levels: list[tuple[str, str]] | None) -> bytes:
    return images.render_one(present(fig, levels=levels), fmt)  # styled on click only: it takes a while


def files(
    fig: go.Figure, data: pd.DataFrame | None, lang: str, levels: list[tuple[str, str]] | None = None
) -> dict[str, Callable[[], bytes]]:
    """What each download button builds on click: the figure as PNG and SVG in the
    presentation theme at 1280×720, the data as CSV and XLSX neutralised against formulas
    (etl.writers.frame_bytes; none without data)."""
    built: dict[str, Callable[[], bytes]] = {fmt: partial(_image, fig, fmt, levels) for fmt in ("png", "svg")}
    if data is not None:
        built |= {fmt: partial(frame_bytes, data, fmt, lang) for fmt in ("csv", "xlsx")}
    return built


def downloads(
    fig: go.Figure,
    data: pd.DataFrame | None,
    *,
    key: str,
    lang: str,
    name: str,
    levels: list[tuple[str, str]] | None = None,
) -> None:
    """One row of download buttons: PNG, SVG (disabled, with the reason, without
    Chromium), CSV, XLSX (disabled without data)."""
    can_draw = images.available()
    built = files(fig, data, lang, levels)
    row = st.container(horizontal=True)  # the buttons wrap in a narrow column
    for fmt in ("png", "svg", "csv", "xlsx"):
        image = fmt in images.FORMATS
        disabled = not can_draw if image else data is None
        download_button(
            row,
            text(TEXT, fmt, lang),
            built.get(fmt, b""),
            f"{name}.{fmt}",
            MIME[fmt],
            key=f"{key}_{fmt}",
            help=(text(TEXT, "image_help", lang) if can_draw else images.NO_BROWSER.message(lang)) if image else None,
            disabled=disabled,
            on_click="ignore",
            icon=":material/image:" if image else ":material/table:",
        )
    if not can_draw:
        st.caption(images.NO_BROWSER.message(lang))


def chart(
    fig: go.Figure,
    *,
    key: str,
    lang: str,
    summary: str,
    data: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    name: str = "graphique",
    levels: list[tuple[str, str]] | None = None,
    container=None,
) -> None:
    """Draw `fig` with its summary, and an expander with its data and its downloads.

    `data` is the chart's table (views/tables.py), or a function building it, or None for
    the values read from the figure. The expander's content is built only while it is
    open (its state is the widget `{key}_data`): a page of closed expanders costs one
    line each. `levels` ((label, colour) in rank order, charts.presentation.level_keys)
    labels the level bars of the images."""
    box = st if container is None else container  # no wrapping container: one element less
    box.plotly_chart(fig, width="stretch", key=key, alt=summary)
    box.caption(escape_markdown(summary))  # names in it come from the database
    more = box.expander(
        text(TEXT, "data_and_files", lang), icon=":material/table_view:", key=f"{key}_data", on_change="rerun"
    )
    if more.open:
        table = data() if callable(data) else data if data is not None else figure_table(fig, lang)
        with more:
            st.dataframe(shown(table, lang), hide_index=True, width="stretch", placeholder="—", key=f"{key}_table")
            downloads(fig, table, key=key, lang=lang, name=name, levels=levels)
