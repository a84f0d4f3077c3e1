"""The live slide of the Present page, and the poll that keeps it current.

The slide is a fragment (`stage`) that reruns on its own when it moves. Apart from it, a
tiny fragment (`watch`) reads the cheap data version every POLL_SECONDS, and when a load
or a rollback changed it, reruns the page, which draws the slide from the new data (the
slide is in the URL: it is not lost). A move never waits behind the poll.
"""

from __future__ import annotations

import time
from datetime import datetime
from functools import lru_cache
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import plotly.graph_objects as go
import streamlit as st

from charts.presentation import present
from etl.db import DatabaseError
from exports.slide import Slide
from queries import data_version
from ui import chart as chart_widget
from ui import frame, slides
from ui.presenter.url import auto_seconds, current_view, int_param, link, move
from ui.state import query, set_query
from ui.texts import text
from ui.texts.present import TEXT

POLL_SECONDS = 2  # a new load shows within this (plus the time to draw the slide)
CHART_HEIGHT = 540  # preparing; presenting, the chart takes the height the screen leaves
STAGE_HEIGHT = 700  # a fixed height makes the chart stretch; CSS sets the real one (the screen's)
SEEN_VERSION, SEEN_SLIDE = "present_seen_version", "present_seen_slide"
FILES_VERSION = "present_files_version"  # the data version the page's last run drew the files on
STAGE_DRAWN = "present_stage_drawn"  # (data version, busy, slide number, slides) of the stage's last run


def _version(lang: str) -> tuple[int, bool]:
    """The data version, and whether the database was busy (then the last one seen)."""
    try:
        return data_version(), False
    except DatabaseError:
        seen = st.session_state.get(SEEN_VERSION)
        if seen is None:
            raise
        return seen[0], True


def _updated_at(version: int) -> str:
    """HH:MM:SS, in the viewer's time zone, at which this session first saw `version`
    (seconds: a load in the same minute as the last one must still show as new)."""
    seen = st.session_state.get(SEEN_VERSION)
    if seen is None or seen[0] != version:
        try:
            zone = ZoneInfo(st.context.timezone) if st.context.timezone else None
        except ZoneInfoNotFoundError:
            zone = None
        seen = (version, datetime.now(zone))
        st.session_state[SEEN_VERSION] = seen
    return seen[1].strftime("%H:%M:%S")


def _auto_advance(number: int, total: int) -> int:
    """Move on when the slide has been shown for the auto-advance interval (after the
    last slide, back to the first)."""
    now, seen = time.monotonic(), st.session_state.get(SEEN_SLIDE)
    if seen is None or seen[0] != number:
        st.session_state[SEEN_SLIDE] = (number, now)
        return number
    every = auto_seconds()
    if every and total > 1 and now - seen[1] >= every:
        number = number % total + 1
        st.query_params["slide"] = str(number)
        st.session_state[SEEN_SLIDE] = (number, now)
    return number


def _nav(number: int, total: int, footer: str, lang: str, full_screen: bool) -> bool:
    """The navigation row with the footer; True when a button moved to another slide."""
    widths = [1.3, 2, 5, 2] if full_screen else [0.01, 2, 5, 2]
    leave, back, middle, forward = st.columns(widths, vertical_alignment="center")
    if full_screen and leave.button(
        text(TEXT, "exit_short", lang),
        key="present_exit",
        shortcut="Esc",
        icon=":material/close:",
        help=text(TEXT, "exit", lang),
        type="tertiary",
    ):
        set_query("present", None)
        st.rerun(scope="app")
    clicked = back.button(
        text(TEXT, "previous", lang),
        key="present_prev",
        on_click=move,
        args=(-1, total),
        disabled=number <= 1,
        shortcut="Left",  # Streamlit writes the key (←) on the button: no arrow icon besides
        help=text(TEXT, "previous_help", lang),
        width="stretch",
    )
    middle.markdown(f'<p class="present-footer" style="text-align:center">{escape(footer)}</p>', unsafe_allow_html=True)
    clicked |= forward.button(
        text(TEXT, "next", lang),
        key="present_next",
        on_click=move,
        args=(1, total),
        disabled=number >= total,
        shortcut="Right",  # likewise →
        help=text(TEXT, "next_help", lang),
        width="stretch",
    )
    # Presentation remotes send Page Down and Page Up: two buttons hidden by CSS take them.
    for key, delta, shortcut in (("present_page_up", -1, "PageUp"), ("present_page_down", 1, "PageDown")):
        clicked |= middle.button(shortcut, key=key, on_click=move, args=(delta, total), shortcut=shortcut)
    return clicked


@lru_cache(maxsize=64)
def _slide(key: str, view: slides.View, full_screen: bool) -> tuple[Slide, go.Figure]:
    """A slide and its figure in the presentation theme. The fragment redraws every
    POLL_SECONDS: kept per view (which holds the data version), the slide is built once."""
    slide = slides.build(key, view)
    return slide, present(slide.figure, levels=slide.levels, title=False, height=CHART_HEIGHT)


@st.fragment
def stage(full_screen: bool) -> None:
    """The current slide: title, chart, takeaway, then navigation and footer. Reruns on
    its own when the slide moves; `watch` reruns the page when the data change."""
    lang = frame.current().lang
    version, busy = _version(lang)
    updated = _updated_at(version)
    view, keys = current_view(version, lang)
    pages = slides.expand(keys, view)  # a bar chart of many cities continues on more slides
    total = len(pages)
    asked = min(max(int_param("slide", 1), 1), total)
    number = _auto_advance(asked, total)
    if st.query_params.get("slide") != str(number):
        st.query_params["slide"] = str(number)
    slide, figure = _slide(pages[number - 1], view, full_screen)
    with st.container(key="present_stage", height=STAGE_HEIGHT if full_screen else "content", border=False):
        st.header(slide.title, anchor=False)
        if slide.note:
            st.markdown(f'<p class="present-note">{escape(slide.note)}</p>', unsafe_allow_html=True)
        config = {"displayModeBar": not full_screen, "displaylogo": False}
        height = "stretch" if full_screen else "content"
        st.plotly_chart(figure, key="present_chart", theme=None, alt=slide.summary, config=config, height=height)
        st.markdown(f'<p class="present-takeaway">{escape(slide.summary)}</p>', unsafe_allow_html=True)
        footer = text(TEXT, "footer", lang, source=view.source, date=view.data_date, n=number, total=total)
        footer += f" · {text(TEXT, 'updated', lang, time=updated)}"
        moved = _nav(number, total, footer, lang, full_screen)
        if busy:
            st.caption(text(TEXT, "busy", lang))
    st.session_state[STAGE_DRAWN] = (version, busy, number, total)
    # Below the stage, outside this fragment, the slide's data and files (slide_files): they
    # follow the slide and the data through a run of the whole page, not every poll, because
    # a download is built on click from what the last run registered, and a poll's run
    # would replace it under the reader's click.
    if not full_screen and (moved or number != asked or version != st.session_state.get(FILES_VERSION)):
        st.rerun(scope="app")


def _advance_due(number: int, total: int) -> bool:
    """Whether the slide has been shown for the auto-advance interval."""
    every, seen = auto_seconds(), st.session_state.get(SEEN_SLIDE)
    return bool(every and total > 1 and seen and seen[0] == number and time.monotonic() - seen[1] >= every)


@st.fragment(run_every=POLL_SECONDS)
def watch() -> None:
    """The data poll, apart from the slide: every POLL_SECONDS it reads only the data
    version (a few milliseconds), and reruns the page when a load or a rollback changed
    it, when the database is readable again, or when auto-advance is due. The slide's
    own fragment never runs for the poll, so a move never waits behind a redraw of the
    slide (it did one time in six, 1.6-2.5 s, when the stage itself polled)."""
    drawn = st.session_state.get(STAGE_DRAWN)
    if drawn is None:
        return
    version, busy, number, total = drawn
    try:
        now = data_version()
    except DatabaseError:
        return  # still being written: the next poll will tell
    if now != version or busy or _advance_due(number, total):
        st.rerun(scope="app")


def slide_files(view: slides.View, keys: list[str]) -> None:
    """The current slide's data table, its files (PNG, SVG, CSV, XLSX) and its link, for
    the preparation view; drawn by the page's run, below the live stage."""
    pages = slides.expand(keys, view)
    number = min(max(int_param("slide", 1), 1), len(pages))
    slide, _ = _slide(pages[number - 1], view, False)
    with st.expander(text(TEXT, "data_and_files", view.lang), icon=":material/table_view:"):
        st.dataframe(
            chart_widget.shown(slide.table, view.lang),
            hide_index=True,
            width="stretch",
            placeholder="—",
            key="present_table",
        )
        name = f"{number:02d}_{slide.key.replace(slides.PART, '_')}"
        chart_widget.downloads(
            slide.figure, slide.table, key="present_file", lang=view.lang, name=name, levels=slide.levels
        )
    here = link(query() | {"slide": [str(number)]})
    st.caption(text(TEXT, "slide_link", view.lang, url=here))
