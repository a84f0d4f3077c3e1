"""The city pickers of the pages: one city (City, Follow-up) or the cities compared
(Compare), each keeping its choice in the URL and owning its widget's key."""

from __future__ import annotations

import streamlit as st

from queries.cities import labels as city_labels
from ui.filters import city_countries, left_out, left_out_note
from ui.frame import Context
from ui.state import set_query, url_choice
from ui.texts import text
from ui.texts.compare import TEXT as COMPARE
from views.compare import MAX_CITIES, Candidates


def city_select(title: str, codes: list[str], default: str, ctx: Context, *, key: str, empty: str = "", **more) -> str:
    """A select box of cities by their label, its choice kept in the URL (`ville`); the
    option "" reads `empty`."""
    label = city_labels(ctx.cities, ctx.lang)
    index = codes.index(url_choice("ville", codes, default))
    code = st.selectbox(
        title, codes, index=index, format_func=lambda c: label.get(c, str(c)) if c else empty, key=key, **more
    )
    set_query("ville", code)
    return code


def compare_select(candidates: Candidates, ctx: Context, container) -> list[str]:
    """The cities to compare (2 to 12), linked from the URL (`compare`) or chosen, by name
    in the page's language. A filter that takes out a compared city (Streamlit keeps it as
    a value, the URL names it) drops it, and the page says which and why."""
    lang, options = ctx.lang, candidates.options
    linked = [c for c in dict.fromkeys(st.query_params.get_all("compare")) if c in options][:MAX_CITIES]
    label = city_labels(ctx.cities, lang)
    asked = container.multiselect(
        text(COMPARE, "cities", lang),
        [c for c in ctx.city_names if c in options],  # by name in the page's language
        default=linked or candidates.default,
        format_func=lambda code: label.get(code, str(code)),  # any value: see the note below
        max_selections=MAX_CITIES,
        placeholder=text(COMPARE, "placeholder", lang),
        select_all=False,  # at most 12 cities: "select all" would mean none (and Streamlit writes it in English)
        help=text(COMPARE, "cities_help", lang),
        key="cmp_cities",
    )
    codes = [c for c in asked if c in options]
    countries = city_countries(ctx.version)
    asked_for = [*st.query_params.get_all("compare"), *asked]
    scope = ctx.selection.country_scope()  # the countries the country and group filters leave
    outside = [c for c in asked_for if c in countries and scope is not None and countries[c] not in scope]
    if dropped := left_out("cmp_dropped", outside, options, codes):
        st.info(left_out_note(dropped, ctx.selection, ctx.city_names, countries, lang), icon=":material/filter_alt:")
    set_query("compare", codes)
    return codes
