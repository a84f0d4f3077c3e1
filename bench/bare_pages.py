"""The bare twins of the page benchmark (bench/pages.py): for every dashboard page, a page
at the same URL path that draws that page's own charts (and tables) for its default view,
and nothing else — no sidebar filters, no key figures, no titles, captions, summaries,
tabs or expanders. With BARE_TWIN_FILTERS=1, the twin draws the frame's sidebar filters
too (ui/filters.py, the same widgets), which no page can leave out: what Streamlit needs
for a page's charts and the filters every page keeps.

A multipage app like the dashboard (wide layout; a sidebar with the page list and a
language switch), on the same database (ENGAGEMENT_DB), with the same queries, the same
default selection (`from_query({}, choices)`, what the sidebar gives an empty URL) and the
same views, drawn by name (views/), as app_pages/*.py draw them through ui/views.py. A
page's warm browser time over its twin's is what the dashboard's frame and texts cost
above what Streamlit needs to draw that page's charts.
"""

import os
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run on its own too (the bench sets PYTHONPATH)

from etl.schema import load_schema
from queries import data_version, dictionary, frame_facts
from queries.cities import labels as city_labels
from queries.selection import from_query
from ui import filters
from ui.i18n import fmt_metric
from views import Scope, batch, draw
from views.city import city_choice
from views.compare import PER, candidates, compared

LANG = "fr"


def _scope(labels: bool = False) -> Scope:
    """The views' scope of a page's default view: the selection an empty URL gives (as the
    sidebar's `from_query`), the data version, the language, the cities' names."""
    version = data_version()
    facts = frame_facts(version)
    names = city_labels(facts.cities, LANG) if labels else facts.city_names(LANG)
    return Scope(from_query({}, facts.choices), version, LANG, city_names=tuple(names.items()))


def _plot(name: str, scope: Scope, key: str, container=st) -> None:
    """The view `name`'s figure, and nothing else (no summary, no expander, no note)."""
    drawn = draw(name, scope)
    if drawn.available:
        container.plotly_chart(drawn.figure, width="stretch", key=key)


def overview() -> None:
    scope = _scope()
    with batch():
        _plot("map", scope, "map")
        _plot("ladder", scope, "ladder")
        _plot("trend", scope.with_(measure="activities"), "trend")  # the grain by the period, as the page


def city() -> None:
    median = _scope().of_cities([])
    with batch():
        scope = median.with_(city=city_choice(median, ()).default)
        _plot("city_trend", scope, "city_trend")
        left, right = st.columns(2)
        _plot("funnel", scope, "city_funnel", left)
        _plot("matrix", scope, "city_matrix", right)


def compare() -> None:
    scope = _scope()
    with batch():
        chosen = scope.of_cities(candidates(scope).default).with_(measure=PER["raw"])
        _plot("multiples", chosen, "cmp_multiples")
        ranking = compared(chosen)
        formats = {m.key: (lambda v, unit=m.unit: fmt_metric(v, unit, LANG)) for m in ranking.columns}
        st.dataframe(ranking.table.style.format(formats), hide_index=True, height="content", key="cmp_ranking")
        _plot("ladder", chosen, "cmp_ladder")


def degrees() -> None:
    scope = _scope()
    with batch():
        _plot("lenses", scope, "deg_lenses")
        _plot("lens", scope.with_(measure="activities"), "deg_shares")
        _plot("depth", scope, "deg_depth")


def followup() -> None:
    scope = _scope(labels=True)
    with batch():
        _plot("answers", scope.with_(city=""), "followup_funnel")
        left, right = st.columns(2)
        _plot("delays", scope, "followup_delays", left)
        _plot("answer_ranking", scope, "followup_ranking", right)
        _plot("representation", scope, "followup_ratios")
        _plot("returning", scope, "followup_returning")


def data() -> None:
    fields, values = dictionary.dictionary_parts(dictionary.dictionary(load_schema(), LANG), LANG)
    st.table(fields, hide_index=True)
    st.table(values, hide_index=True)


TWINS = [
    (overview, "Vue d'ensemble", None),
    (city, "Ville", "ville"),
    (compare, "Comparer", "comparer"),
    (degrees, "Degrés d'engagement", "degres"),
    (followup, "Suites données", "suites"),
    (data, "Données", "donnees"),
]
if __name__ == "__main__":  # as Streamlit runs it; bench/replay_pages.py imports TWINS
    st.set_page_config(page_title="Bare", layout="wide")
    st.sidebar.segmented_control("Langue", ["fr", "en"], default="fr", key="bare_lang")
    if os.environ.get("BARE_TWIN_FILTERS") == "1":  # the frame's sidebar filters too, which every page keeps
        facts = frame_facts(data_version())
        filters.sidebar(facts.choices, facts.cities, LANG)
    st.navigation(
        [st.Page(draw, title=title, url_path=path, default=path is None) for draw, title, path in TWINS]
    ).run()
