"""Preparing a presentation: choose the charts, the lens and the auto-advance, start it,
save it as a deck; and its exports (PowerPoint, offline HTML, a city's one-page report)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from charts.format import escape_markdown
from etl.access import Principal
from exports import images
from queries.lenses import BASE
from service import decks
from ui import slides
from ui.auth import PRINCIPAL_KEY
from ui.downloads import download_button
from ui.i18n import t
from ui.presenter.saved import save_deck, saved_decks
from ui.presenter.url import AUTO_CHOICES, auto_seconds
from ui.state import query, set_query, url_switch
from ui.texts import text
from ui.texts.present import TEXT
from views.degrees import lens_titles

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


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
    download_button(
        left,
        text(TEXT, "pptx", lang),
        partial(_pptx, keys, view),
        f"{name}.pptx",
        PPTX_MIME,
        key="present_pptx",
        disabled=not can_draw,
        on_click="ignore",
        icon=":material/slideshow:",
        help=None if can_draw else images.NO_BROWSER.message(lang),
    )
    download_button(
        middle,
        text(TEXT, "html", lang),
        partial(_html, keys, view, title),
        f"{name}.html",
        "text/html",
        key="present_html",
        on_click="ignore",
        icon=":material/html:",
    )
    if len(view.selection.cities) == 1:
        city = view.names().get(view.selection.cities[0], view.selection.cities[0])
        download_button(
            right,
            text(TEXT, "city_report", lang, city=escape_markdown(city)),
            partial(_city_report, view),
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
    _chart_choice(view, keys)
    _lens_and_auto(lang)
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
    else:
        _save_form(view, keys, who)
    saved_decks(lang)


def _chart_choice(view: slides.View, keys: list[str]) -> None:
    """The charts of the slides, in order; all of them (the default) leaves the URL bare."""
    lang = view.lang
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


def _lens_and_auto(lang: str) -> None:
    """The lens and the auto-advance, kept in the URL."""
    # One above the other: side by side, the scales' three names did not fit half of 1280 px.
    left, right = st.container(), st.container()
    titles = lens_titles(lang)
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


def _save_form(view: slides.View, keys: list[str], who: Principal) -> None:
    """Save the current presentation (selection, lens, charts, language, auto-advance) as a deck."""
    lang = view.lang
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
