"""The Present page's URL state: everything a presentation shows lives in the URL, so
that a link gives it back: `present=1` (full screen: no sidebar, no navigation), `slide=N`
(1-based), `charts=…` (repeated, slide order), `lens=…`, `auto=S` (auto-advance every
S seconds), `deck=slug` (a saved deck), plus the sidebar's selection."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from etl.schema import load_framework
from queries import choices
from queries.lenses import BASE, lenses
from queries.selection import from_query
from ui import frame, slides
from ui.state import query

AUTO_CHOICES = (0, 10, 20, 30, 60)


def presenting() -> bool:
    return st.query_params.get("present") == "1"


def int_param(key: str, default: int) -> int:
    try:
        return int(st.query_params.get(key, default))
    except ValueError:
        return default


def auto_seconds() -> int:
    value = int_param("auto", 0)
    return value if value in AUTO_CHOICES else 0


def lens_id() -> str:
    value = st.query_params.get("lens", BASE)
    return value if value in {item["id"] for item in lenses(load_framework())} else BASE


def move(delta: int, total: int) -> None:
    number = min(max(int_param("slide", 1) + delta, 1), total)
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


def current_view(version: int, lang: str) -> tuple[slides.View, list[str]]:
    """The view and slide keys that the URL describes, over data version `version`."""
    ctx = frame.current()
    selection = from_query(query(), choices(version))
    source, data_date = slides.footer_facts(version, lang)
    names = tuple(sorted(ctx.city_names.items()))
    view = slides.View(selection, version, lang, lens_id(), names, source, data_date)
    return view, slides.choose(st.query_params.get_all("charts"), selection)
