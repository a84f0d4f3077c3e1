"""The sidebar filters (period, country group, country, cities, methods, themes, format).

The selection lives in the URL, so that a link gives the same view. When a page change
drops the query parameters, the last selection of the session is put back. Each widget
owns its session-state key (prefix `flt_`).
"""

from __future__ import annotations

from datetime import date

import streamlit as st
from babel import Locale

from charts.format import counted, escape_markdown, fmt_date
from etl.schema import load_schema
from queries import fetch
from queries.cities import ReferenceCity, group_label, sort_key
from queries.selection import LIST_KEYS, Choices, Selection, from_query
from ui.i18n import LOCALES, t
from ui.state import query, set_query

SESSION_KEY = "flt_selection_query"
FIELDS = {"method": "methode", "theme": "thematique", "format": "format"}
# The filters drawn only while their expander is open (every element drawn delays a page's
# first view: bench/README.md, "Pages"): the ones a visit seldom changes. A link that sets
# one opens it; closed while one applies, it says which below it, so no filter acts unseen.
MORE_KEY = "flt_more"
MORE = ("group", "method", "theme", "format")


def country_name(code: str, lang: str) -> str:
    return Locale.parse(LOCALES[lang]).territories.get(code, code)


def _code_label(field: str, lang: str):
    labels = {c.code: c.label(lang) for c in load_schema().field(field).codes}
    return lambda code: labels.get(code, code)


def _in_words(selection: Selection, lang: str, keys) -> str:
    """The filters `keys` of a selection that apply, in words: "pays : France ; méthodes :
    Atelier", or "" when none does."""
    parts = []
    if "group" in keys and selection.groups:
        parts.append((t("filter_group", lang), [group_label(g, lang) for g in selection.groups]))
    if "country" in keys and selection.countries:
        parts.append((t("filter_country", lang), [country_name(c, lang) for c in selection.countries]))
    for key, field in FIELDS.items():
        values = getattr(selection, LIST_KEYS[key])
        if key in keys and values:
            parts.append((t(f"filter_{key}", lang), [_code_label(field, lang)(v) for v in values]))
    colon = " : " if lang == "fr" else ": "
    return " ; ".join(f"{name.lower()}{colon}{', '.join(values)}" for name, values in parts)


def applied_filters(selection: Selection, lang: str) -> str:
    """The filters of a selection other than the period and the cities, in words:
    " (pays : France ; méthodes : Atelier)", or "" when none applies."""
    words = _in_words(selection, lang, ("group", "country", *FIELDS))
    return f" ({words})" if words else ""


def city_countries(version: int) -> dict[str, str]:
    """Every reference city's country, code -> ISO code."""
    frame = fetch("cities", {"lang": "en"}, version=version)  # the language changes names, not countries
    return dict(zip(frame["code"], frame["country"], strict=True))


def left_out(key: str, asked: list[str], options: list[str], kept: list[str]) -> list[str]:
    """The cities a page was asked to show (by its URL or its widget) that its options no
    longer have, remembered under `key` while the rest of the choice stays as it is: the
    note stays until the user changes the choice."""
    dropped = [c for c in dict.fromkeys(asked) if c not in options]
    if dropped:
        st.session_state[key] = (tuple(dropped), tuple(kept))
        return dropped
    remembered = st.session_state.get(key)
    if remembered and remembered[1] == tuple(kept):
        return [c for c in remembered[0] if c not in options]
    st.session_state.pop(key, None)
    return []


def left_out_note(
    codes: list[str], selection: Selection, city_names: dict[str, str], countries: dict[str, str], lang: str
) -> str:
    """Which cities a country filter took out of a comparison, with their country, and how
    to bring them back."""
    cities = ", ".join(
        escape_markdown(city_names.get(c, c)) + (f" ({country_name(countries[c], lang)})" if c in countries else "")
        for c in codes
    )
    key = "left_out_one" if len(codes) == 1 else "left_out_many"
    if selection.countries:
        kept, name = ", ".join(country_name(c, lang) for c in selection.countries), t("filter_country", lang)
    else:  # only the country group filter narrows the countries
        kept, name = ", ".join(group_label(g, lang) for g in selection.groups), t("filter_group", lang)
    return t(key, lang, cities=cities, countries=kept, filter=name)


def median_scope(selection: Selection, cities: int, lang: str) -> dict:
    """The values of a sentence saying what the median of the mission cities covers
    (queries.metrics.median_of_cities over Selection.for_median): how many cities, the
    period and the filters that apply."""
    return {
        "cities": counted(cities, lang, "ville", "villes") if lang == "fr" else counted(cities, lang, "city", "cities"),
        "start": fmt_date(selection.start, lang),
        "end": fmt_date(selection.end, lang),
        "filters": applied_filters(selection, lang),
    }


def _url_has_selection(params: dict) -> bool:
    return any(k in params for k in ("from", "to", *LIST_KEYS))


def _write_url(selection: Selection, choices: Choices) -> None:
    wanted = selection.to_query(choices)
    for key in ("from", "to", *LIST_KEYS):
        set_query(key, wanted.get(key))
    st.session_state[SESSION_KEY] = wanted


def _on_change(choices: Choices) -> None:
    period = st.session_state["flt_period"]
    start, end = (period[0], period[-1]) if period else (choices.first, choices.last)
    chosen = {attr: tuple(st.session_state[f"flt_{key}"]) for key, attr in LIST_KEYS.items()}
    if chosen["groups"]:  # a country outside the chosen groups would make the selection empty
        inside = choices.countries_of(chosen["groups"])
        chosen["countries"] = tuple(c for c in chosen["countries"] if c in inside)
    _write_url(Selection(start=start, end=end, **chosen), choices)


def _city_options(choices: Choices, selection: Selection, cities: dict[str, ReferenceCity], lang: str) -> list[str]:
    """The cities with data, by name in the page's language; only those of the chosen
    countries or groups when there are (the chosen cities stay, so none is dropped)."""
    scope = selection.country_scope()
    shown = [c for c in choices.cities if scope is None or (c in cities and cities[c].country in scope)]
    shown += [c for c in selection.cities if c not in shown]
    return sorted(shown, key=lambda c: sort_key(cities[c].name(lang)) if c in cities else c)


def sidebar(choices: Choices, cities: dict[str, ReferenceCity], lang: str) -> Selection:
    """Draw the filters and return the selection they describe."""
    params = query()
    if not _url_has_selection(params) and st.session_state.get(SESSION_KEY):
        params |= st.session_state[SESSION_KEY]  # a page change dropped the parameters
    selection = from_query(params, choices)
    _write_url(selection, choices)
    # Widgets follow the URL (a pasted link wins over what the session had).
    st.session_state["flt_period"] = (selection.start, selection.end)
    for key, attr in LIST_KEYS.items():
        st.session_state[f"flt_{key}"] = list(getattr(selection, attr))

    bar = st.sidebar
    bar.subheader(t("filters", lang))
    bar.date_input(
        t("period", lang),
        min_value=date(2015, 1, 1),
        max_value=max(choices.last, date.today()),
        key="flt_period",
        on_change=_on_change,
        args=(choices,),
        format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
    )
    in_groups = set(choices.countries_of(selection.groups)) if selection.groups else choices.countries
    countries = [c for c in choices.countries if c in in_groups or c in selection.countries]
    city = cities.get
    options = {
        "group": (sorted(choices.groups), lambda g: group_label(g, lang), "all_groups", "filter_group_help"),
        "country": (
            sorted(countries, key=lambda c: sort_key(country_name(c, lang))),
            lambda c: country_name(c, lang),
            "all",
            None,
        ),
        "city": (
            _city_options(choices, selection, cities, lang),
            lambda c: city(c).label(lang) if city(c) else str(c),
            "all",
            "filter_city_help",
        ),
        **{
            key: (sorted(getattr(choices, LIST_KEYS[key])), _code_label(field, lang), "all", None)
            for key, field in FIELDS.items()
        },
    }

    def multiselect(where, key: str) -> None:
        values, label, placeholder, help_key = options[key]
        where.multiselect(
            t(f"filter_{key}", lang),
            values,
            format_func=label,
            key=f"flt_{key}",
            on_change=_on_change,
            args=(choices,),
            placeholder=t(placeholder, lang),
            help=t(help_key, lang) if help_key else None,
            select_all=False,  # an empty filter already means all (and Streamlit writes "Select all" in English)
        )

    multiselect(bar, "country")
    multiselect(bar, "city")
    hidden = _in_words(selection, lang, MORE)  # those of the expander that apply
    if hidden and MORE_KEY not in st.session_state:  # the session's first view: a link's filters show
        st.session_state[MORE_KEY] = True
    more = bar.expander(t("more_filters", lang), icon=":material/filter_list:", key=MORE_KEY, on_change="rerun")
    if more.open:
        for key in MORE:
            multiselect(more, key)
    elif hidden:
        bar.caption(t("more_filters_applied", lang, filters=hidden))  # schema labels, as applied_filters
    if selection.ignored:
        bar.warning(
            t("ignored_params", lang, values=", ".join(map(escape_markdown, selection.ignored))),
            icon=":material/link_off:",
        )
    return selection
