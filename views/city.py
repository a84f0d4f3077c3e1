"""The City page's views: one city's trend, its proposals funnel and method/degree
matrix (also slides), its stakeholders and inclusiveness; then what the page needs
around them: which city, its key figures against the median, its population."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from charts import city as charts
from charts import summaries
from charts.format import escape_markdown, fmt_date, fmt_number
from etl.schema import load_framework, load_schema
from queries import fetch
from queries.cities import labels as city_labels
from queries.metrics import METRICS, cities_in_median, compute, median_of_cities, small_count
from ui.texts import text
from ui.texts.city import TEXT
from views import tables
from views.core import Scope, View, register
from views.overview import KeyFigures, trend

# Two rows of four key figures: volume and reach, then depth and follow-up.
FIGURES = ("activities", "participations", "per_10k", "depth_index")
FIGURES += ("adoption_rate", "cocreation_share", "public_response_rate", "stakeholder_diversity")


def city_code(scope: Scope) -> str:
    """The city a view is about: the page's, or the selection's one city (a slide)."""
    if scope.city:
        return scope.city
    if len(scope.selection.cities) != 1:
        raise ValueError("a city's view is drawn for one city: give Scope.city or select exactly one city")
    return scope.selection.cities[0]


def city_row(frame: pd.DataFrame, scope: Scope) -> tuple[pd.Series, str]:
    """The city's aggregates with every metric, and its name in the language."""
    code = city_code(scope)
    row = compute(frame).set_index("city_code").loc[code]
    return row, scope.names().get(code, str(row["city"]))


def one_city(selection) -> bool:
    """A chart of one city suits a selection of exactly one city (on a slide)."""
    return len(selection.cities) == 1


def _row(draw):
    return lambda data, s: draw(data[0], s)


def row_view(name: str, file: tuple[str, str], figure, summary, table, **more) -> View:
    """A chart of the city's own row of aggregates: `figure`, `table` (and `available`)
    take (row, scope), `summary` (row, the city's name, scope)."""
    more = {key: _row(check) for key, check in more.items()}
    return View(
        name,
        "aggregates_by_city",
        prepare=city_row,
        figure=_row(figure),
        summary=lambda data, s: summary(data[0], data[1], s),
        table=_row(table),
        file=file,
        about_city=True,
        suits=one_city,
        **more,
    )


FUNNEL = row_view(
    "funnel",
    ("propositions", "proposals"),
    lambda row, s: charts.proposals_funnel(row, s.lang),
    lambda row, name, s: summaries.proposals_funnel(row, name, s.lang),
    lambda row, s: tables.proposals_funnel(row, s.lang),
)
MATRIX = View(
    "matrix",
    "city_activities_by_method_and_level",
    params=lambda s: {"city": city_code(s)},
    figure=lambda frame, s: charts.method_level_matrix(frame, load_schema(), load_framework(), s.lang),
    summary=lambda frame, s: summaries.method_level_matrix(frame, load_schema(), load_framework(), s.lang),
    table=lambda frame, s: tables.method_level_matrix(frame, load_schema(), load_framework(), s.lang),
    file=("methodes_et_degres", "methods_and_degrees"),
    about_city=True,
    suits=one_city,
)
STAKEHOLDERS = row_view(
    "stakeholders",
    ("acteurs", "stakeholders"),
    lambda row, s: charts.stakeholder_mix(row, load_schema(), s.lang),
    lambda row, name, s: summaries.stakeholder_mix(row, load_schema(), charts.STAKEHOLDER_FIELDS, s.lang),
    lambda row, s: tables.by_field(row, charts.STAKEHOLDER_FIELDS, load_schema(), s.lang),
)
INCLUSIVENESS = row_view(
    "inclusiveness",
    ("inclusion", "inclusiveness"),
    lambda row, s: charts.inclusiveness(row, METRICS, small_count, s.lang),
    lambda row, name, s: summaries.inclusiveness(row, METRICS, charts.INCLUSIVENESS, s.lang),
    lambda row, s: tables.inclusiveness(row, s.lang),
    available=lambda row, s: charts.inclusiveness_reported(row),
)
register(trend("city_trend", "city_trend_by_level", lambda s: "month", city=True))
register(FUNNEL, MATRIX, STAKEHOLDERS, INCLUSIVENESS)


@dataclass(frozen=True)
class CityChoice:
    """The cities the page may show (by name in the page's language) and the default:
    the sidebar's first city that has data, else the one with the most participations."""

    cities: pd.DataFrame  # the aggregates of every city of the scope (the median's)
    codes: list[str]
    default: str


def city_choice(scope: Scope, sidebar: tuple[str, ...]) -> CityChoice:
    """`scope`: the median's (every city); `sidebar`: the cities the sidebar chose."""
    cities = scope.fetch("aggregates_by_city")
    per_city = compute(cities).set_index("city_code")
    codes = [c for c in scope.names() if c in per_city.index]
    asked = [c for c in sidebar if c in codes]
    default = asked[0] if asked else (per_city["participations"].idxmax() if len(per_city) else "")
    return CityChoice(cities, codes, default)


def city_figures(scope: Scope, cities: pd.DataFrame) -> KeyFigures:
    """The city's key figures against the median of the mission cities."""
    row = compute(cities).set_index("city_code").loc[scope.city]
    return KeyFigures([METRICS[k] for k in FIGURES], row, median_of_cities(cities), cities_in_median(cities))


def city_activity(cities: pd.DataFrame, code: str) -> pd.DataFrame:
    """The city's line of the aggregates (empty when it has no activity in the scope)."""
    return cities[cities["city_code"] == code]


@dataclass(frozen=True)
class CityTexts:
    caption: str  # the city and the period
    outside: str  # why a city outside the mission is shown ("" for a member)
    population: str  # the population the figures per 10,000 inhabitants use


def city_texts(scope: Scope, reference: dict) -> CityTexts:
    """What the page says of the scope's city (`reference`: every reference city, by code)."""
    lang, code = scope.lang, scope.city
    about = fetch("cities", {"lang": lang}, version=scope.version).set_index("code").loc[code]
    label = city_labels(reference, lang).get(code, code)
    dates = {"start": fmt_date(scope.selection.start, lang), "end": fmt_date(scope.selection.end, lang)}
    caption = text(TEXT, "caption", lang, city=escape_markdown(label), **dates)
    name = escape_markdown(scope.names().get(code, code))
    outside = "" if about["member"] else text(TEXT, "outside", lang, city=name)
    return CityTexts(caption, outside, population_note(about, lang))


def population_note(about: pd.Series, lang: str) -> str:
    """Which population the figure per 10,000 inhabitants uses (value, source, year,
    perimeter), or why there is none; and the city's remark."""
    remark = escape_markdown(about["remark"]) if isinstance(about["remark"], str) else ""
    if pd.isna(about["population"]):
        return text(TEXT, "no_population", lang, remark=remark)
    year = text(TEXT, "year_unknown", lang) if pd.isna(about["population_year"]) else int(about["population_year"])
    note = text(
        TEXT,
        "population",
        lang,
        population=fmt_number(about["population"], lang),
        source=escape_markdown(about["population_source"]),
        year=year,
        perimeter=escape_markdown(about["perimeter"]),
    )
    return f"{note} {text(TEXT, 'remark', lang, remark=remark)}" if remark else note


def activities(scope: Scope, search: str) -> pd.DataFrame:
    """The city's activities whose title holds `search`, as the page lists them."""
    rows = scope.fetch("city_activities", city=scope.city, search=search.strip())
    return charts.activities_table(rows, load_schema(), scope.lang)
