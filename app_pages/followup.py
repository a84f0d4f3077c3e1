"""Suites données / Follow-up: what became of the proposals (answer, time to answer,
implementation) against the mission median, cities ranked, representation against the
population, returning participants over time."""

import streamlit as st

from ui.frame import current, no_data
from ui.i18n import fmt_date
from ui.pickers import city_select
from ui.texts import text
from ui.texts.followup import TEXT
from ui.views import draw, key_figures, scope_of
from views import batch
from views.followup import focus_options, follow_up_figures
from views.overview import aggregates

ctx = current()
lang, scope = ctx.lang, scope_of(ctx, labels=True)
st.title(text(TEXT, "title", lang))
st.caption(
    text(TEXT, "caption", lang, start=fmt_date(scope.selection.start, lang), end=fmt_date(scope.selection.end, lang))
)
with batch():  # the page's queries share one connection when they are not cached
    cities = aggregates(scope)
    if no_data(ctx, cities):
        st.stop()
    key_figures(follow_up_figures(scope, cities), scope)
    options = focus_options(cities, ctx.city_names)
    whole = text(TEXT, "whole", lang)
    focus = city_select(text(TEXT, "focus", lang), options, "", ctx, key="followup_city", empty=whole)
    draw("answers", scope.with_(city=focus), key="followup_funnel")
    left, right = st.columns(2)
    draw("delays", scope, key="followup_delays", container=left)
    draw("answer_ranking", scope, key="followup_ranking", container=right)
    no_structure = text(TEXT, "no_structure", lang)
    draw("representation", scope, key="followup_ratios", otherwise=no_structure, icon=":material/groups:")
    draw("returning", scope, key="followup_returning")
