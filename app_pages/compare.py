"""Comparer / Compare: 2 to 12 cities side by side, over the sidebar selection: small multiples and
a ranking; then, one tab at a time (only the open one runs): level profiles, intensity against depth."""

from functools import partial

import streamlit as st

from ui.frame import current, no_data
from ui.i18n import fmt_date
from ui.pickers import compare_select
from ui.ranking import ranking_table
from ui.state import url_switch
from ui.tabs import url_tabs
from ui.texts import text
from ui.texts.compare import TEXT
from ui.views import draw, median_lines, scope_of
from views import batch
from views.compare import PER, candidates, compared, median_cities
from views.overview import aggregates

ctx = current()
lang, scope = ctx.lang, scope_of(ctx)
say = partial(text, TEXT, lang=lang)  # this page's texts in the language
st.title(say("title"))
st.caption(f"{say('caption')} {fmt_date(scope.selection.start, lang)} – {fmt_date(scope.selection.end, lang)}")
with batch():  # the page's queries share one connection when they are not cached
    # Sidebar cities first, then the most participations: the default is the head of this list.
    among = candidates(scope)
    if no_data(ctx, among.frame):  # nothing in the sidebar's selection
        st.stop()
    pickers = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")  # one element, not three
    codes = compare_select(among, ctx, pickers)
    per = url_switch(
        pickers, say("per"), list(PER), param="per", default="raw", format_func=say, help=say("per_help"), key="cmp_per"
    )
    if len(codes) < 2:
        st.info(say("too_few"), icon=":material/compare_arrows:")
        st.stop()
    chosen = scope.of_cities(codes).with_(measure=PER[per])
    if no_data(ctx, aggregates(chosen)):
        st.stop()
    draw("multiples", chosen, key="cmp_multiples")
ranking_table(compared(chosen), lang)
tab, shown = url_tabs(["levels", "scatter"], lambda t: say(f"tab_{t}"), param="tab", key="cmp_tab", lang=lang)
if shown == "levels":
    draw("profiles", chosen, key="cmp_ladder", container=tab)
else:
    draw("scatter", chosen, key="cmp_scatter", container=tab)
    tab.caption(median_lines(chosen, median_cities(chosen)))
