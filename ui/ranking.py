"""The Compare page's ranking table: the compared cities ranked by the chosen measure,
every figure formatted in the language with its definition on its header, and the
cities the figures leave out named below."""

from __future__ import annotations

import streamlit as st

from charts.format import escape_markdown
from ui.i18n import fmt_metric
from ui.texts import text
from ui.texts.compare import TEXT
from ui.widgets import name_width
from views.compare import Ranking


def ranking_table(ranking: Ranking, lang: str) -> None:
    table = ranking.table
    st.subheader(text(TEXT, "ranking", lang))
    st.caption(text(TEXT, "ranking_caption", lang, measure=ranking.measure.label(lang).lower()))
    formats = {m.key: (lambda v, unit=m.unit: fmt_metric(v, unit, lang)) for m in ranking.columns}
    labels = {m.key: st.column_config.Column(m.label(lang), help=m.help(lang)) for m in ranking.columns}
    labels |= {"rank": st.column_config.Column(text(TEXT, "rank", lang), pinned=True)}
    city = st.column_config.Column(text(TEXT, "city", lang), pinned=True, width=name_width(table["city"]))
    st.dataframe(
        table.style.format(formats),
        column_config=labels | {"city": city},
        hide_index=True,
        height="content",
        placeholder="—",  # a figure per 10,000 inhabitants without a population: the caption below says why
        key="cmp_ranking",
    )
    for key, cities in (("no_population", ranking.without_population), ("outside", ranking.outside)):
        if cities:
            st.caption(text(TEXT, key, lang, cities=", ".join(escape_markdown(c) for c in cities)))
