"""The Present page's parts: presentation mode, the live slide, decks and exports.

Everything a presentation shows lives in the URL, so that a link gives it back:
`present=1` (full screen: no sidebar, no navigation), `slide=N` (1-based), `charts=…`
(repeated, slide order), `lens=…`, `auto=S` (auto-advance every S seconds), `deck=slug`
(a saved deck), plus the sidebar's selection. Widgets here own the `present_` keys.

The slide is a fragment that reruns on its own when it moves. Apart from it, a tiny
fragment (`watch`) reads the cheap data version every POLL_SECONDS, and when a load or a
rollback changed it, reruns the page, which draws the slide from the new data (the slide
is in the URL: it is not lost). A move never waits behind the poll.
"""

from __future__ import annotations

import time
from datetime import datetime
from functools import lru_cache, partial
from html import escape
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import plotly.graph_objects as go
import streamlit as st

from charts.format import escape_markdown
from charts.presentation import THEME, present
from etl import decks
from etl.accounts import Principal
from etl.db import DatabaseError, connect, open_database
from etl.schema import load_framework
from exports import images
from exports.slide import Slide
from queries import choices, data_version, db_path
from queries.lenses import BASE, lenses
from queries.selection import from_query
from ui import chart as chart_widget
from ui import filters, frame, slides
from ui.auth import PRINCIPAL_KEY
from ui.downloads import dropped_after
from ui.i18n import t
from ui.state import query, set_query, url_switch
from ui.texts import text
from ui.texts.present import TEXT

POLL_SECONDS = 2  # a new load shows within this (plus the time to draw the slide)
AUTO_CHOICES = (0, 10, 20, 30, 60)
CHART_HEIGHT = 540  # preparing; presenting, the chart takes the height the screen leaves
STAGE_HEIGHT = 700  # a fixed height makes the chart stretch; CSS sets the real one (the screen's)
DECK_APPLIED, SEEN_VERSION, SEEN_SLIDE = "present_deck_applied", "present_seen_version", "present_seen_slide"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def presenting() -> bool:
    return st.query_params.get("present") == "1"


def heading(deck: decks.Deck | None, lang: str) -> None:
    """The page's title (the deck's name when one is open) and what the page does."""
    st.title(text(TEXT, "deck_opened", lang, name=escape_markdown(deck.name)) if deck else text(TEXT, "title", lang))
    st.caption(text(TEXT, "caption", lang))


def style(full_screen: bool, demo: bool = False) -> None:
    """The high-contrast slide (dark text on white, large type); in presentation mode
    also no sidebar and no header, and with `demo` no demo banner (the footer says it)."""
    css = f"""
    .st-key-present_stage {{ background: {THEME["background"]}; color: {THEME["text"]}; }}
    .st-key-present_stage h2 {{ font-size: 32px; line-height: 1.3; color: {THEME["text"]}; padding: 0; }}
    .st-key-present_stage .present-note, .st-key-present_stage .present-footer {{
        font-size: 18px; color: {THEME["muted"]}; margin: 0 !important; }}
    .st-key-present_stage .present-takeaway {{ font-size: 22px; color: {THEME["text"]}; margin: 0 !important; }}
    .st-key-present_stage button p, .st-key-present_stage kbd {{ font-size: 18px; }}
    .st-key-present_stage button [data-testid="stIconMaterial"] {{ font-size: 22px; }}
    .st-key-present_page_up, .st-key-present_page_down {{ display: none; }}
    """
    if full_screen:
        css += f"""
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
        [data-testid="stHeader"] {{ display: none !important; }}
        [data-testid="stApp"], [data-testid="stMain"] {{ background: {THEME["background"]}; }}
        [data-testid="stMainBlockContainer"] {{ padding: 0.75rem 1.5rem 0 1.5rem; max-width: 100%; }}
        :has(> .st-key-present_stage) {{ flex: 0 0 calc(100dvh - 0.75rem) !important; height: calc(100dvh - 0.75rem) !important; }}
        .st-key-present_stage [data-testid="stMarkdownContainer"] {{ margin-bottom: 0 !important; }}
        .st-key-present_stage, .st-key-present_stage [data-testid="stVerticalBlock"] {{ gap: 0.4rem; }}
        .st-key-present_stage > * {{ flex-shrink: 0; }}
        .st-key-present_stage > [data-testid="stElementContainer"]:has(.js-plotly-plot) {{ flex: 1 1 0; min-height: 0; }}
        """
    if full_screen and demo:  # the frame's demo banner is the first element of the page
        css += """
        [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
          > [data-testid="stElementContainer"]:first-child:has([data-testid="stAlertContentWarning"]) { display: none; }
        """
    st.html(f"<style>{css}</style>")


# --- URL state -------------------------------------------------------------------


def _int_param(key: str, default: int) -> int:
    try:
        return int(st.query_params.get(key, default))
    except ValueError:
        return default


def auto_seconds() -> int:
    value = _int_param("auto", 0)
    return value if value in AUTO_CHOICES else 0


def lens_id() -> str:
    value = st.query_params.get("lens", BASE)
    return value if value in {item["id"] for item in lenses(load_framework())} else BASE


def _go(delta: int, total: int) -> None:
    number = min(max(_int_param("slide", 1) + delta, 1), total)
    st.query_params["slide"] = str(number)


def link(params: dict[str, list[str]]) -> str:
    """The Present page's URL with `params`: absolute when the browser's address is known."""
    path = f"/presenter?{urlencode(params, doseq=True)}"
    url = st.context.url
    if not url:
        return path
    parts = urlsplit(url)
    base = parts.path.rsplit("/presenter", 1)[0].rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{base}{path}"


# --- Decks ------------------------------------------------------------------------


def _read_deck(slug: str) -> decks.Deck | None:
    con = connect(db_path(), read_only=True)
    try:
        return decks.get(con, slug)
    finally:
        con.close()


def open_deck(lang: str) -> decks.Deck | None:
    """The deck of `?deck=slug`. Opened once per session: its view is written into the
    URL (selection, lens, charts, auto, language unless the link gives one) and the app
    reruns, so that the sidebar shows it too."""
    slug = st.query_params.get("deck")
    if not slug:
        return None
    deck = _read_deck(slug)
    if deck is None:
        shown = slug if decks.SLUG_PATTERN.fullmatch(slug[:60]) else "…"  # never echo a hostile link as markdown
        st.warning(text(TEXT, "deck_missing", lang, slug=shown[:60]), icon=":material/link_off:")
        return None
    if st.session_state.get(DECK_APPLIED) != deck.slug:
        st.session_state[DECK_APPLIED] = deck.slug
        spec = deck.spec
        for key in (*decks.QUERY_KEYS, "charts", "lens", "auto"):
            set_query(key, None)
        for key, values in spec["query"].items():
            set_query(key, values)
        set_query("charts", spec["charts"])
        set_query("lens", spec.get("lens"))
        set_query("auto", str(spec["auto"]) if spec["auto"] else None)
        if "lang" not in st.query_params:
            st.query_params["lang"] = spec["lang"]
        st.session_state.pop(filters.SESSION_KEY, None)  # the deck's selection, not the session's last
        st.rerun()
    return deck


def save_deck(name: str, spec: dict, by: Principal, lang: str) -> None:
    try:
        con = open_database(db_path())
        try:
            deck = decks.save(con, name, spec, by=by)
        finally:
            con.close()
    except DatabaseError as exc:
        st.error(escape_markdown(exc.fr if lang == "fr" else exc.en), icon=":material/error:")
        return
    st.success(text(TEXT, "saved", lang, name=escape_markdown(deck.name)), icon=":material/check_circle:")
    st.code(link({"deck": [deck.slug]}), language=None)


def saved_decks(lang: str) -> None:
    con = connect(db_path(), read_only=True)
    try:
        found = decks.all_decks(con)
    finally:
        con.close()
    if found:
        items = "\n".join(f"- [{escape_markdown(d.name)}](/presenter?deck={d.slug})" for d in found[:30])
        st.markdown(f"**{text(TEXT, 'saved_decks', lang)}**\n\n{items}")


# --- The live slide ---------------------------------------------------------------


FILES_VERSION = "present_files_version"  # the data version the page's last run drew the files on


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


def current_view(version: int, lang: str) -> tuple[slides.View, list[str]]:
    """The view and slide keys that the URL describes, over data version `version`."""
    ctx = frame.current()
    selection = from_query(query(), choices(version))
    source, data_date = slides.footer_facts(version, lang)
    names = tuple(sorted(ctx.city_names.items()))
    view = slides.View(selection, version, lang, lens_id(), names, source, data_date)
    return view, slides.choose(st.query_params.get_all("charts"), selection)


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
        on_click=_go,
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
        on_click=_go,
        args=(1, total),
        disabled=number >= total,
        shortcut="Right",  # likewise →
        help=text(TEXT, "next_help", lang),
        width="stretch",
    )
    # Presentation remotes send Page Down and Page Up: two buttons hidden by CSS take them.
    for key, delta, shortcut in (("present_page_up", -1, "PageUp"), ("present_page_down", 1, "PageDown")):
        clicked |= middle.button(shortcut, key=key, on_click=_go, args=(delta, total), shortcut=shortcut)
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
    asked = min(max(_int_param("slide", 1), 1), total)
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


STAGE_DRAWN = "present_stage_drawn"  # (data version, busy, slide number, slides) of the stage's last run


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
    number = min(max(_int_param("slide", 1), 1), len(pages))
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


# --- Preparation and exports --------------------------------------------------------


def _pptx(keys: list[str], view: slides.View) -> bytes:
    from exports.deck_pptx import deck_pptx

    return deck_pptx(slides.build_all(keys, view), lang=view.lang)


def _html(keys: list[str], view: slides.View, title: str) -> bytes:
    from exports.report_html import deck_html

    return deck_html(title, slides.subtitle(view), slides.build_all(keys, view), view.lang).encode("utf-8")


def _city_report(view: slides.View) -> bytes:
    return slides.city_report(view).encode("utf-8")


def exports(keys: list[str], view: slides.View, title: str, name: str) -> None:
    lang = view.lang
    st.subheader(text(TEXT, "exports", lang))
    left, middle, right = st.columns(3)
    can_draw = images.available()
    left.download_button(
        text(TEXT, "pptx", lang),
        dropped_after(partial(_pptx, keys, view)),
        f"{name}.pptx",
        PPTX_MIME,
        key="present_pptx",
        disabled=not can_draw,
        on_click="ignore",
        icon=":material/slideshow:",
        help=None if can_draw else images.NO_BROWSER.message(lang),
    )
    middle.download_button(
        text(TEXT, "html", lang),
        dropped_after(partial(_html, keys, view, title)),
        f"{name}.html",
        "text/html",
        key="present_html",
        on_click="ignore",
        icon=":material/html:",
    )
    if len(view.selection.cities) == 1:
        city = view.names().get(view.selection.cities[0], view.selection.cities[0])
        right.download_button(
            text(TEXT, "city_report", lang, city=escape_markdown(city)),
            dropped_after(partial(_city_report, view)),
            f"{text(TEXT, 'file_report', lang)}_{view.selection.cities[0]}.html",
            "text/html",
            key="present_city",
            on_click="ignore",
            icon=":material/print:",
        )
    else:
        right.caption(text(TEXT, "city_report_help", lang))
    if not can_draw:
        st.caption(images.NO_BROWSER.message(lang))


def _start() -> None:
    st.query_params["present"] = "1"


def controls(view: slides.View, keys: list[str]) -> None:
    """Choose the charts, the lens and the auto-advance; present; save the deck."""
    lang = view.lang
    st.subheader(text(TEXT, "prepare", lang))
    options = slides.available(view.selection)
    chosen = st.multiselect(
        text(TEXT, "charts", lang),
        options,
        default=keys,
        format_func=lambda k: text(TEXT, f"slide_{k}", lang),
        help=text(TEXT, "charts_help", lang),
        placeholder=t("choose_many", lang),
        select_all=False,
        key="present_charts",
    )
    set_query("charts", None if chosen == options or not chosen else chosen)
    # One above the other: side by side, the scales' three names did not fit half of 1280 px.
    left, right = st.container(), st.container()
    titles = {item["id"]: item["title"][lang] for item in lenses(load_framework())}
    url_switch(
        left,
        text(TEXT, "lens", lang),
        list(titles),
        param="lens",
        default=BASE,
        format_func=lambda i: titles.get(i, str(i)),
        key="present_lens",
    )
    every = [str(s) for s in AUTO_CHOICES]
    label = lambda s: text(TEXT, "auto_off", lang) if s == "0" else text(TEXT, "auto_every", lang, s=s)  # noqa: E731
    url_switch(
        right,
        text(TEXT, "auto", lang),
        every,
        param="auto",
        default="0",
        format_func=label,
        help=text(TEXT, "auto_help", lang),
        key="present_auto",
    )
    st.button(
        text(TEXT, "start", lang),
        key="present_start",
        on_click=_start,
        type="primary",
        icon=":material/slideshow:",
        help=text(TEXT, "start_help", lang),
    )
    st.subheader(text(TEXT, "save_title", lang))
    who = st.session_state.get(PRINCIPAL_KEY)
    if who is None:  # saving writes to the database: visitors who are not signed in may not
        st.caption(text(TEXT, "save_sign_in", lang))
        saved_decks(lang)
        return
    with st.form("present_save", border=False, enter_to_submit=True):
        name = st.text_input(
            text(TEXT, "deck_name", lang),
            max_chars=decks.NAME_MAX,
            help=text(TEXT, "deck_name_help", lang),
            key="present_deck_name",
        )
        submitted = st.form_submit_button(text(TEXT, "save", lang), icon=":material/save:")
    if submitted:
        query_now = {k: v for k, v in query().items() if k in decks.QUERY_KEYS}
        spec = {"query": query_now, "lens": view.lens, "charts": keys, "lang": lang, "auto": auto_seconds()}
        save_deck(name, spec, who, lang)
    saved_decks(lang)
