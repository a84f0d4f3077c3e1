"""The Compare page's views: the cities side by side over time and intensity against
depth (also slides); then what the page needs around them: which cities by default,
and the ranking table."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from charts import summaries
from charts.compare import intensity_depth, ranking, small_multiples
from charts.presentation import level_keys
from etl.schema import load_framework
from queries.metrics import METRICS, Metric, cities_in_median, compute, median_of_cities
from views import tables
from views.core import Scope, View, register
from views.overview import LADDER

RANKED = "activities participations per_10k depth_index cocreation_share adoption_rate public_response_rate".split()
MAX_CITIES = 12
DEFAULT_CITIES = 6  # without 2 to 12 cities in the sidebar: the most participations
PER = {"raw": "participations", "capita": "per_10k"}  # participations as counted, or per 10,000 inhabitants


def _measure(s: Scope) -> str:
    return s.measure or "participations"


def ranked(s: Scope) -> pd.DataFrame:
    """The compared cities ranked by the scope's measure, highest first (see charts.compare.ranking)."""
    return ranking(compute(s.fetch("aggregates_by_city")), _measure(s), RANKED)


@dataclass(frozen=True)
class Multiples:
    trend: pd.DataFrame
    order: list[str]  # the cities, in the ranking's order


def _multiples(frame: pd.DataFrame, s: Scope) -> Multiples:
    trend = frame.assign(per_10k=METRICS["per_10k"].compute(frame))
    return Multiples(trend, ranked(s)["city"].tolist())


MULTIPLES = View(
    "multiples",
    "compare_trend_by_city_level",
    params=lambda s: {"grain": s.period_grain()},
    prepare=_multiples,
    figure=lambda m, s: small_multiples(
        m.trend, m.order, load_framework(), _measure(s), s.period_grain(), s.lang, s.span()
    ),
    summary=lambda m, s: summaries.small_multiples(m.trend, m.order, _measure(s), s.lang),
    table=lambda m, s: tables.small_multiples(m.trend, load_framework(), s.lang),
    file=("villes_cote_a_cote", "cities_side_by_side"),
    levels=lambda s: level_keys(load_framework(), s.lang),
    suits=lambda selection: 2 <= len(selection.cities) <= MAX_CITIES,
)


@dataclass(frozen=True)
class Scatter:
    cities: pd.DataFrame
    median: pd.Series  # of the mission cities (Selection.for_median)
    median_cities: int


def _scatter(frame: pd.DataFrame, s: Scope) -> Scatter:
    mission = s.fetch("aggregates_by_city", s.selection.for_median())
    return Scatter(compute(frame), median_of_cities(mission), cities_in_median(mission))


SCATTER = View(
    "scatter",
    "aggregates_by_city",
    prepare=_scatter,
    figure=lambda d, s: intensity_depth(d.cities, d.median, load_framework(), s.lang),
    summary=lambda d, s: summaries.intensity_depth(d.cities, d.median, s.lang),
    table=lambda d, s: tables.intensity_depth(d.cities, s.lang),
    file=("intensite_et_profondeur", "intensity_and_depth"),
)
# The Overview's ladder for the cities compared, under the Compare page's own file names.
PROFILES = replace(LADDER, name="profiles", file=("profil_des_degres", "degree_profiles"))

register(MULTIPLES, SCATTER, PROFILES)


@dataclass(frozen=True)
class Candidates:
    """The cities that may be compared (the sidebar's first, then by participations),
    whether the sidebar's selection holds any, and the default choice: the sidebar's
    cities when it holds 2 to 12, else the first six."""

    frame: pd.DataFrame
    options: list[str]
    default: list[str]


def candidates(s: Scope) -> Candidates:
    frame = s.fetch("compare_cities_by_participations")
    options = frame["city_code"].tolist()
    chosen = s.selection.cities
    default = [c for c in chosen if c in options] if 2 <= len(chosen) <= MAX_CITIES else options[:DEFAULT_CITIES]
    return Candidates(frame[frame["in_city_filter"]], options, default)


@dataclass(frozen=True)
class Ranking:
    """The ranking table: its rows, the metrics of its columns, and the cities the
    captions below it name (without a population; outside the mission)."""

    table: pd.DataFrame
    measure: Metric
    columns: list[Metric]
    without_population: list[str]
    outside: list[str]


def compared(s: Scope) -> Ranking:
    per_city = compute(s.fetch("aggregates_by_city"))
    return Ranking(
        ranking(per_city, _measure(s), RANKED),
        METRICS[_measure(s)],
        [METRICS[k] for k in RANKED],
        per_city.loc[per_city["population"].isna(), "city"].tolist(),
        per_city.loc[~per_city["member"], "city"].tolist(),
    )


def median_cities(s: Scope) -> int:
    """How many mission cities the median lines of the scatter stand on."""
    return cities_in_median(s.fetch("aggregates_by_city", s.selection.for_median()))
