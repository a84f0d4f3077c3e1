"""What a view is (`View`), what it is asked for (`Scope`) and what it gives (`Drawn`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from charts.compare import grain_for
from charts.periods import Span, span_of
from queries import fetch_selection
from queries.lenses import BASE
from queries.selection import Selection
from ui.texts import text
from ui.texts.present import TEXT


@dataclass(frozen=True)
class Scope:
    """What a view is drawn for: the selection, the data version, the language, the lens
    and the cities' names; then what a page's widgets choose (each view has its own
    default for those left empty). The first seven fields are also a deck's: see
    ui/slides.py."""

    selection: Selection
    version: int
    lang: str
    lens: str = BASE
    city_names: tuple[tuple[str, str], ...] = ()
    source: str = ""
    data_date: str = ""
    measure: str = ""  # activities, participations or per_10k
    grain: str = ""  # month or quarter; empty: by the period's length (charts.compare.grain_for)
    city: str = ""  # the one city a view is about (the City page, the Follow-up focus)
    limit: int | None = None  # bars of a ranking (None: the chart's own)
    shown: tuple[str, ...] = ()  # draw only these cities (a slide's share of a bar chart by city)

    def names(self) -> dict[str, str]:
        return dict(self.city_names)

    def span(self) -> Span:
        """The days the charts cover: a period cut by today is hatched, not read as a drop."""
        return span_of(self.selection.start, self.selection.end)

    def period_grain(self) -> str:
        return self.grain or grain_for(self.selection.start, self.selection.end)

    def fetch(self, query: str, selection: Selection | None = None, **params) -> pd.DataFrame:
        """A named query over the scope's selection (or `selection`), cached by data version."""
        chosen = self.selection if selection is None else selection
        return fetch_selection(query, chosen, version=self.version, lang=self.lang, **params)

    def with_(self, **options) -> Scope:
        return replace(self, **options)

    def of_cities(self, codes: list[str]) -> Scope:
        """The scope with the selection's cities replaced by `codes` (the cities compared)."""
        return replace(self, selection=replace(self.selection, cities=tuple(codes)))


def _nothing(data, scope: Scope):
    return None


@dataclass(frozen=True)
class View:
    """One chart: its query and parameters, the preparation of the frame the query
    returns (`prepare(frame, scope)`, which may run further queries of its own), and
    what is made of the prepared data: figure, summary, table, the note said under it
    (pages and slides), the caption explaining it (pages), the level keys of its images.

    `query` None: the view reads no data (`prepare(None, scope)`). `paged`: one bar per
    city, so a slide may draw a share of the cities (`Scope.shown`) while the summary
    still speaks of them all. `available` says whether the chart has anything to show
    (otherwise a page says why, in its own words); `suits` says which selections the chart
    is meant for (a deck leaves it out of the others)."""

    name: str
    query: str | None
    figure: Callable[[Any, Scope], go.Figure]
    summary: Callable[[Any, Scope], str]
    table: Callable[[Any, Scope], pd.DataFrame]
    file: tuple[str, str]  # the downloads' file name, French and English, without extension
    params: Callable[[Scope], dict] = lambda scope: {}
    prepare: Callable[[Any, Scope], Any] = lambda frame, scope: frame
    note: Callable[[Any, Scope], str] = lambda data, scope: ""
    caption: Callable[[Any, Scope], str | None] = _nothing
    levels: Callable[[Scope], list[tuple[str, str]]] = lambda scope: []
    available: Callable[[Any, Scope], bool] = lambda data, scope: True
    suits: Callable[[Selection], bool] = lambda selection: True  # the selections it is drawn for
    paged: bool = False
    about_city: bool = False  # the file name ends with the city's code

    def data(self, scope: Scope) -> Any:
        frame = None if self.query is None else scope.fetch(self.query, **self.params(scope))
        return self.prepare(frame, scope)

    def draw(self, scope: Scope, *, always: bool = False) -> Drawn:
        """The view drawn for `scope`; unless `always` (a slide), a view with nothing to
        show gives an empty Drawn with `available` False."""
        every = self.data(scope)
        data = every
        if self.paged and scope.shown:
            data = self.prepare(every_city(self, scope), scope)
        if not always and not self.available(data, scope):  # nothing to draw: the page says why
            return Drawn(self.name, "", go.Figure(), "", lambda: pd.DataFrame(), "", available=False)
        figure = self.figure(data, scope)
        file = self.file[0] if scope.lang == "fr" else self.file[1]
        if self.about_city and scope.city:
            file = f"{file}_{scope.city}"
        return Drawn(
            name=self.name,
            title=figure.layout.title.text or _slide_title(self.name, scope.lang),
            figure=figure,
            summary=self.summary(every, scope),
            table=lambda: self.table(data, scope),
            file=file,
            levels=self.levels(scope),
            note=self.note(data, scope),
            caption=self.caption(data, scope),
        )


def _slide_title(name: str, lang: str) -> str:
    """A figure without a title is named by its slide's title, or by its name."""
    return text(TEXT, f"slide_{name}", lang) if f"slide_{name}" in TEXT else name


def every_city(view: View, scope: Scope) -> pd.DataFrame:
    """The view's frame cut to the cities `scope.shown` (a bar chart's share of a slide)."""
    frame = scope.fetch(view.query, **view.params(scope))
    return frame[frame["city"].isin(scope.shown)]


@dataclass(frozen=True)
class Drawn:
    """A view drawn for a scope: what a page, a slide or an export shows. `table` builds
    the data table on demand (a page builds it only when its expander is open)."""

    name: str
    title: str
    figure: go.Figure
    summary: str
    table: Callable[[], pd.DataFrame]
    file: str
    levels: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    caption: str | None = None
    available: bool = True


VIEWS: dict[str, View] = {}


def register(*views: View) -> None:
    for view in views:
        if view.name in VIEWS:
            raise ValueError(f"two views are named {view.name!r}")
        VIEWS[view.name] = view


def draw(name: str, scope: Scope) -> Drawn:
    """The view `name` drawn for `scope`. KeyError for an unknown name."""
    return VIEWS[name].draw(scope)
