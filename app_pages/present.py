"""Présenter / Present: one chart per slide from the sidebar selection, live while data
come in; full screen with ?present=1 (arrow keys, Esc); decks saved under a name and
reopened from ?deck=<slug>; the deck as PowerPoint or offline HTML, a city's one-page report."""

import streamlit as st

from ui import presenter
from ui.frame import current, no_data
from ui.texts import text
from ui.texts.present import TEXT
from ui.views import scope_of
from views.overview import aggregates

ctx = current()
lang, full_screen = ctx.lang, presenter.presenting()
deck = presenter.open_deck(lang)
presenter.style(full_screen, ctx.has_demo)
if not full_screen:
    presenter.heading(deck, lang)
if no_data(ctx, aggregates(scope_of(ctx))):
    st.stop()

if not full_screen:
    view, keys = presenter.current_view(ctx.version, lang)
    st.session_state[presenter.FILES_VERSION] = ctx.version  # the stage reruns the page when it changes
presenter.stage(full_screen)
with st.sidebar:  # hidden when presenting: the poll adds nothing to the slide's layout
    presenter.watch()
if not full_screen:
    presenter.slide_files(view, keys)
    presenter.controls(view, keys)
    title = deck.name if deck else text(TEXT, "report_title", lang)  # the report's, not the page's
    presenter.exports(keys, view, title, deck.slug if deck else text(TEXT, "file_deck", lang))
