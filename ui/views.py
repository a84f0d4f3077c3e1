"""How a page shows the views layer (views/): a view drawn by name with its summary,
data table, downloads and notes (ui/chart.py), and a row of key figures with what
they are set against."""

from __future__ import annotations

import streamlit as st

from queries.cities import labels as city_labels
from ui.chart import chart
from ui.filters import median_scope
from ui.frame import Context
from ui.i18n import t
from ui.widgets import card_rows, metric_row
from views import Drawn, Scope
from views import draw as draw_view
from views.overview import KeyFigures


def scope_of(ctx: Context, *, labels: bool = False, **options) -> Scope:
    """The views' scope of this run: the sidebar's selection, the data version, the
    language and the cities' names (`labels`: with their local name, "Lisbonne · Lisboa");
    `options` are what the page's widgets chose."""
    names = city_labels(ctx.cities, ctx.lang) if labels else ctx.city_names
    return Scope(ctx.selection, ctx.version, ctx.lang, city_names=tuple(names.items()), **options)


def draw(name: str, scope: Scope, *, key: str, container=None, otherwise: str = "", icon: str = "") -> Drawn:
    """Draw the view `name` (its widgets' keys start with `key`), then its note and its
    caption; a view with nothing to show gives the `otherwise` message instead."""
    drawn = draw_view(name, scope)
    box = st if container is None else container
    if not drawn.available:
        if otherwise:
            box.info(otherwise, icon=icon or None)
        return drawn
    chart(
        drawn.figure,
        key=key,
        lang=scope.lang,
        summary=drawn.summary,
        data=drawn.table,
        name=drawn.file,
        levels=drawn.levels or None,
        container=container,
    )
    for line in (drawn.note, drawn.caption):
        if line:
            box.caption(line)
    return drawn


def median_label(scope: Scope, cities: int) -> str:
    """What the median of the mission cities covers, as one sentence."""
    return t("median_gap", scope.lang, **median_scope(scope.selection.for_median(), cities, scope.lang))


def key_figures(figures: KeyFigures, scope: Scope) -> None:
    """The key figures in cards, against the previous period or the median of the
    mission cities; their notes below, then what the median covers."""
    reference = None if figures.median_cities is None else median_label(scope, figures.median_cities)
    metric_row(figures.metrics, figures.values, figures.reference, scope.lang, reference)
    for note in figures.notes:
        st.caption(note)
    if reference:
        st.caption(reference)


def scale_cards(scale) -> None:
    """The degrees of the scale side by side, each in a card: its definition, examples
    and its category in each lens (views.degrees.scale). A card is one text element: every
    element drawn delays the page's first view (bench/README.md, "Pages")."""
    for row, level in zip(card_rows("scale_cards_", len(scale.levels)), scale.levels, strict=True):
        card = [level.heading, level.definition, f":small[{level.examples}]", "  \n".join(level.equivalents)]
        row.container(border=True, height="stretch").markdown("\n\n".join(card))
    st.markdown(scale.co_creation)
    st.caption(scale.sources)


def median_lines(scope: Scope, cities: int) -> str:
    """What the median lines of a chart cover, as one sentence."""
    return t("median_lines", scope.lang, **median_scope(scope.selection.for_median(), cities, scope.lang))
