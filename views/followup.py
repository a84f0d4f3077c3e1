"""The Follow-up page's views (also slides): what became of the proposals against the
mission median, the time to answer, the cities ranked, representation against the
population, returning participants over time; and the page's key figures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from charts import follow_up as charts
from charts.format import escape_markdown
from queries.metrics import (
    FOLLOW_UP,
    METRICS,
    REPRESENTATION,
    cities_in_median,
    compute,
    measure,
    median_of_cities,
    missing_reason,
    total,
)
from ui.texts import text
from ui.texts.followup import TEXT
from views.city import city_row
from views.core import Scope, View, register
from views.overview import KeyFigures


@dataclass(frozen=True)
class Answers:
    row: pd.Series  # the focus city's aggregates, or the whole selection's
    name: str
    steps: list[float]  # the median city's share at each step


def _answers(cities: pd.DataFrame, s: Scope) -> Answers:
    if s.city:
        row, name = city_row(cities, s)
    else:
        row, name = total(cities), text(TEXT, "whole", s.lang)
    mission = s.fetch("aggregates_by_city", s.selection.for_median())
    return Answers(row, name, charts.median_steps(compute(mission)))


def _limit(s: Scope) -> int:
    return s.limit or charts.MAX_CITIES


@dataclass(frozen=True)
class Ratios:
    cities: pd.DataFrame  # the cities with a ratio shown (charts.follow_up.with_ratios)
    structure: bool  # a population structure is loaded for a city of the selection
    demo: bool  # and it is the made-up demo one


def _ratios(cities: pd.DataFrame, s: Scope) -> Ratios:
    per_city = compute(cities)
    demo = per_city["structure_demo"].fillna(False).astype(bool).any()
    return Ratios(charts.with_ratios(per_city), not per_city["structure_year"].isna().all(), demo)


ANSWERS = View(
    "answers",
    "aggregates_by_city",
    prepare=_answers,
    figure=lambda a, s: charts.funnel(a.row, a.steps, a.name, s.lang),
    summary=lambda a, s: charts.funnel_summary(a.row, a.steps, a.name, s.lang),
    table=lambda a, s: charts.funnel_table(a.row, a.steps, s.lang),
    file=("suites_entonnoir", "followup_funnel"),
)
DELAYS = View(
    "delays",
    "aggregates_by_city",
    prepare=lambda cities, s: (charts.delay_classes(compute(cities), s.lang), total(cities)["median_days_to_answer"]),
    figure=lambda d, s: charts.delays(d[0], s.lang),
    summary=lambda d, s: charts.delays_summary(d[0], d[1], s.lang),
    table=lambda d, s: charts.delays_table(d[0], s.lang),
    file=("suites_delais", "followup_delays"),
)
ANSWER_RANKING = View(
    "answer_ranking",
    "aggregates_by_city",
    prepare=lambda cities, s: charts.ranked(compute(cities)),
    figure=lambda order, s: charts.ranking(order, s.lang, limit=_limit(s)),
    summary=lambda order, s: charts.ranking_summary(order, s.lang),
    table=lambda order, s: charts.ranking_table(order, s.lang),
    note=lambda order, s: charts.top_note(_limit(s), len(order), s.lang),
    file=("suites_classement", "followup_ranking"),
)
REPRESENTATION_VIEW = View(
    "representation",
    "aggregates_by_city",
    prepare=_ratios,
    figure=lambda r, s: charts.representation(r.cities, s.lang, limit=_limit(s)),
    summary=lambda r, s: charts.representation_summary(r.cities, s.lang),
    table=lambda r, s: charts.representation_table(r.cities, s.lang),
    note=lambda r, s: charts.top_note(_limit(s), len(r.cities), s.lang),
    caption=lambda r, s: escape_markdown(text(TEXT, "demo_structure", s.lang)) if r.demo else None,
    available=lambda r, s: r.structure,
    file=("representation", "representation"),
)
RETURNING = View(
    "returning",
    "follow_up_returning_by_quarter",
    prepare=lambda frame, s: frame.assign(returning_share=measure("returning_share", frame)),
    figure=lambda frame, s: charts.returning(frame, s.lang, s.span()),
    summary=lambda frame, s: charts.returning_summary(frame, s.lang, s.span()),
    table=lambda frame, s: charts.returning_table(frame, s.lang),
    file=("participants_fideles", "returning_participants"),
)
register(ANSWERS, DELAYS, ANSWER_RANKING, REPRESENTATION_VIEW, RETURNING)


def follow_up_figures(s: Scope, cities: pd.DataFrame) -> KeyFigures:
    """The follow-up and representation figures of the selection against the median of
    the mission cities; on how many activities each rests, and why one is "—"."""
    keys = [*FOLLOW_UP, *REPRESENTATION]
    everything = total(cities)
    mission = s.fetch("aggregates_by_city", s.selection.for_median())
    notes = [charts.counted_note(keys, everything, s.lang)]
    for key in keys:
        if reason := missing_reason(key, everything, s.lang):
            notes.append(text(TEXT, "missing", s.lang, metric=METRICS[key].label(s.lang), reason=reason))
    return KeyFigures(
        [METRICS[k] for k in keys], everything, median_of_cities(mission), cities_in_median(mission), notes
    )


def focus_options(cities: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """What the funnel may focus on: the whole selection (""), then each city with at
    least one activity, in the order of `names`."""
    active = set(cities.loc[cities["activities"] > 0, "city_code"])
    return ["", *[c for c in names if c in active]]
