"""The Overview page's views: the map, the ladder and the trend (also slides), and its
key figures with their change against the previous period."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from charts import summaries
from charts.format import escape_markdown
from charts.ladder import engagement_ladder
from charts.map import city_map
from charts.presentation import level_keys
from charts.trend import trend_by_level
from etl.paths import DATA_DIR
from etl.schema import load_framework
from queries.metrics import KEY_FIGURES, METRICS, Metric, compute, total
from ui.texts import text
from ui.texts.overview import TEXT
from views import tables
from views.core import Scope, View, register


@cache
def europe_geojson() -> dict:
    """The countries drawn under the map (read once per process)."""
    return json.loads((DATA_DIR / "geo" / "europe_countries.geojson").read_text(encoding="utf-8"))


def per_city(frame: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The aggregates of each city with every metric of the registry."""
    return compute(frame)


def scale_keys(scope: Scope) -> list[tuple[str, str]]:
    return level_keys(load_framework(), scope.lang)


MAP = View(
    "map",
    "aggregates_by_city",
    prepare=per_city,
    figure=lambda cities, s: city_map(cities, europe_geojson(), load_framework(), s.lang),
    summary=lambda cities, s: summaries.city_map(cities, s.lang),
    table=lambda cities, s: tables.city_map(cities, s.lang),
    file=("carte_des_villes", "city_map"),
)

LADDER = View(
    "ladder",
    "levels_by_city",
    figure=lambda levels, s: engagement_ladder(levels, load_framework(), s.lang),
    summary=lambda levels, s: summaries.engagement_ladder(levels, load_framework(), s.lang),
    table=lambda levels, s: tables.engagement_ladder(levels, load_framework(), s.lang),
    file=("echelle_d_engagement", "engagement_ladder"),
    levels=scale_keys,
    paged=True,
)


def trend(name: str, query: str, grain, city: bool = False) -> View:
    """Activities or participations per period and degree (`grain(scope)`: month or quarter)."""

    def figure(frame, s):
        return trend_by_level(frame, load_framework(), s.measure or "activities", grain(s), s.lang, s.span())

    def summary(frame, s):
        return summaries.trend_by_level(frame, load_framework(), s.measure or "activities", grain(s), s.lang, s.span())

    return View(
        name,
        query,
        params=lambda s: {"city": s.city} if city else {"grain": grain(s)},
        figure=figure,
        summary=summary,
        table=lambda frame, s: tables.trend_by_level(frame, load_framework(), s.lang),
        file=("evolution_par_degre", "trend_by_degree"),
        levels=scale_keys,
        about_city=city,
    )


register(MAP, LADDER, trend("trend", "trend_by_level", Scope.period_grain))


@dataclass(frozen=True)
class KeyFigures:
    """A row of key figures: the metrics, their values and what each is set against
    (the previous period, or the median of the mission cities over `median_cities`)."""

    metrics: list[Metric]
    values: pd.Series
    reference: pd.Series | dict
    median_cities: int | None = None  # None: against the previous period
    notes: list[str] = field(default_factory=list)  # said under the figures


def aggregates(scope: Scope) -> pd.DataFrame:
    """Each city's aggregates over the scope's selection (what no_data looks at)."""
    return scope.fetch("aggregates_by_city")


def overview_figures(scope: Scope, cities: pd.DataFrame, first) -> KeyFigures:
    """The selection's key figures against the previous period of the same length (none
    before the first record, `first`)."""
    earlier = scope.selection.previous()
    before = dict.fromkeys(KEY_FIGURES)
    if earlier.end >= first:
        before = total(scope.fetch("aggregates_by_city", earlier))
    return KeyFigures([METRICS[k] for k in KEY_FIGURES], total(cities), before)


def coverage(cities: pd.DataFrame, reference: dict, lang: str) -> str:
    """How many mission cities the figures cover (members only, of the `reference`
    cities), and which cities outside the mission are shown too."""
    members = sum(city.member for city in reference.values())
    active = cities[cities["activities"] > 0]
    line = text(TEXT, "coverage", lang, active=int(active["member"].sum()), members=members)
    outside = active.loc[~active["member"].astype(bool), "city"]
    if len(outside):
        line += text(TEXT, "coverage_outside", lang, names=", ".join(escape_markdown(n) for n in outside))
    return line
