"""Saved decks on the Present page: open one from `?deck=slug`, save the current one
under a name, list those saved."""

from __future__ import annotations

import streamlit as st

from charts.format import escape_markdown
from etl.access import Principal
from etl.db import DatabaseError, reading, writing
from queries import db_path
from service import decks
from ui import filters
from ui.presenter.url import link
from ui.state import set_query
from ui.texts import text
from ui.texts.present import TEXT

DECK_APPLIED = "present_deck_applied"


def heading(deck: decks.Deck | None, lang: str) -> None:
    """The page's title (the deck's name when one is open) and what the page does."""
    st.title(text(TEXT, "deck_opened", lang, name=escape_markdown(deck.name)) if deck else text(TEXT, "title", lang))
    st.caption(text(TEXT, "caption", lang))


def _read_deck(slug: str) -> decks.Deck | None:
    with reading(db_path()) as con:
        return decks.get(con, slug)


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
        with writing(db_path()) as con:
            deck = decks.save(con, name, spec, by=by)
    except DatabaseError as exc:
        st.error(escape_markdown(exc.fr if lang == "fr" else exc.en), icon=":material/error:")
        return
    st.success(text(TEXT, "saved", lang, name=escape_markdown(deck.name)), icon=":material/check_circle:")
    st.code(link({"deck": [deck.slug]}), language=None)


def saved_decks(lang: str) -> None:
    with reading(db_path()) as con:
        found = decks.all_decks(con)
    if found:
        items = "\n".join(f"- [{escape_markdown(d.name)}](/presenter?deck={d.slug})" for d in found[:30])
        st.markdown(f"**{text(TEXT, 'saved_decks', lang)}**\n\n{items}")
