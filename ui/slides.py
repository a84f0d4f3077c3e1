"""The slides of a deck for a selection: each runs the page's own query (queries.fetch,
cached by data version), calls the page's own chart builder, and adds its one-sentence
takeaway (charts/summaries.py) and its data as a readable table.

No drawing here: the Present page, the exporters and the tests all take these Slides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from charts import city as city_charts
from charts import follow_up, summaries
from charts.compare import grain_for, intensity_depth, small_multiples
from charts.degrees import adoption_by_level, depth_over_time, lens_distribution
from charts.format import fmt_date, fmt_metric
from charts.ladder import engagement_ladder
from charts.map import city_map
from charts.periods import Span, span_of
from charts.presentation import level_keys
from charts.trend import trend_by_level
from etl.schema import load_framework, load_schema
from exports import images
from exports.city_report import KeyFigure, city_report_html, print_figures
from exports.slide import Slide
from queries import fetch, fetch_selection
from queries.lenses import BASE, lens, to_lens
from queries.metrics import METRICS, compute, measure, median_of_cities, total
from queries.selection import Selection
from ui import tables
from ui.texts import text
from ui.texts.present import TEXT

KEYS = ("trend", "multiples", "ladder", "map", "lens", "depth", "adoption", "scatter")
KEYS += ("answers", "delays", "answer_ranking", "representation", "returning")  # the Follow-up page's
KEYS += ("funnel", "matrix")
PAGE_BARS = 12  # cities on one slide's bar chart: at 1280×720 each bar keeps room for its rank labels
PAGED = ("ladder", "lens")  # charts of one bar per city: more cities continue on the next slides
PART = "@"  # "ladder@2": the second slide of the ladder
MAX_COMPARED = 12


@dataclass(frozen=True)
class View:
    """What a deck shows: the selection, the data version, the language and the lens."""

    selection: Selection
    version: int
    lang: str
    lens: str = BASE
    city_names: tuple[tuple[str, str], ...] = ()
    source: str = ""
    data_date: str = ""

    def names(self) -> dict[str, str]:
        return dict(self.city_names)

    def span(self) -> Span:
        """The days the charts cover: a period cut by today is hatched, not read as a drop."""
        return span_of(self.selection.start, self.selection.end)


def footer_facts(version: int, lang: str) -> tuple[str, str]:
    """The source (saying when the data are demo data) and the date of the last load."""
    status = fetch("data_status", version=version).iloc[0]
    key = "source_demo" if status["has_demo"] else "source_open_data" if status["has_open_data"] else "source"
    source = text(TEXT, key, lang)
    return source, fmt_date(status["last_load"], lang, with_time=True)


def available(selection: Selection) -> list[str]:
    """The slides that make sense for a selection: side by side needs 2 to 12 cities, the
    funnel and the matrix exactly one."""
    count = len(selection.cities)
    return [
        k
        for k in KEYS
        if (k != "multiples" or 2 <= count <= MAX_COMPARED) and (k not in ("funnel", "matrix") or count == 1)
    ]


def choose(keys: list[str], selection: Selection) -> list[str]:
    """The known, available slides of `keys` in their order (all available when empty)."""
    allowed = available(selection)
    chosen = [k for k in dict.fromkeys(keys) if k in allowed]
    return chosen or allowed


def _city_order(view: View) -> list[str]:
    """The cities of the bar charts, most activities first: the order they are paged in."""
    frame = fetch_selection("levels_by_city", view.selection, version=view.version, lang=view.lang)
    totals = frame.groupby("city")["activities"].sum().sort_values(ascending=False, kind="stable")
    return totals.index.tolist()


def parts(key: str, view: View) -> int:
    """How many slides a chart takes: PAGE_BARS cities a slide for the bar charts by city."""
    if key not in PAGED:
        return 1
    return max(1, -(-len(_city_order(view)) // PAGE_BARS))


def expand(keys: list[str], view: View) -> list[str]:
    """The slides of the charts `keys`, continuations included: "ladder", "ladder@2", …"""
    return [key if part == 1 else f"{key}{PART}{part}" for key in keys for part in range(1, parts(key, view) + 1)]


def _page_cities(frame: pd.DataFrame, view: View, part: int) -> tuple[pd.DataFrame, str]:
    """The cities of slide `part` (PAGE_BARS of them, most activities first), and the note
    saying which they are when the chart takes more than one slide."""
    order = _city_order(view)
    if len(order) <= PAGE_BARS:
        return frame, ""
    first = (part - 1) * PAGE_BARS
    shown = order[first : first + PAGE_BARS]
    note = text(TEXT, "page_cities", view.lang, first=first + 1, last=first + len(shown), total=len(order))
    return frame[frame["city"].isin(shown)], note


def _trend(view: View) -> tuple:
    grain = grain_for(view.selection.start, view.selection.end)
    frame = fetch_selection("trend_by_level", view.selection, version=view.version, lang=view.lang, grain=grain)
    fig = trend_by_level(frame, load_framework(), "activities", grain, view.lang, view.span())
    table = tables.trend_by_level(frame, load_framework(), view.lang)
    summary = summaries.trend_by_level(frame, load_framework(), "activities", grain, view.lang, view.span())
    return fig, summary, table, ""


def _ladder(view: View, part: int = 1) -> tuple:
    every = fetch_selection("levels_by_city", view.selection, version=view.version, lang=view.lang)
    frame, note = _page_cities(every, view, part)
    table = tables.engagement_ladder(frame, load_framework(), view.lang)  # the slide's cities
    fig = engagement_ladder(frame, load_framework(), view.lang)
    summary = summaries.engagement_ladder(every, load_framework(), view.lang)  # the same on every slide: all cities
    return fig, summary, table, note


def _per_city(view: View, selection: Selection | None = None) -> pd.DataFrame:
    return compute(
        fetch_selection("aggregates_by_city", selection or view.selection, version=view.version, lang=view.lang)
    )


def _map(view: View) -> tuple:
    from ui.frame import europe_geojson  # the GeoJSON file is read once per process

    per_city = _per_city(view)
    fig = city_map(per_city, europe_geojson(), load_framework(), view.lang)
    return fig, summaries.city_map(per_city, view.lang), tables.city_map(per_city, view.lang), ""


def _lens(view: View, part: int = 1) -> tuple:
    framework = load_framework()
    every = fetch_selection("levels_by_city", view.selection, version=view.version, lang=view.lang)
    levels, note = _page_cities(every, view, part)
    chosen = lens(framework, view.lens)
    shares = to_lens(levels, framework, view.lens)
    fig = lens_distribution(shares, chosen, "activities", view.lang)
    every_shares = to_lens(every, framework, view.lens)
    summary = summaries.lens_distribution(every_shares, chosen, "activities", view.lang)  # all cities
    table = tables.lens_distribution(shares, chosen, view.lang)  # the slide's cities
    return fig, summary, table, note


def _depth(view: View) -> tuple:
    # A line per city from two cities on: one city's line would repeat the whole selection's.
    per_city = 1 < len(view.selection.cities) <= 8
    frame = fetch_selection(
        "degrees_depth_by_quarter", view.selection, version=view.version, lang=view.lang, per_city=per_city
    )
    frame = frame.assign(depth_index=METRICS["depth_index"].compute(frame))
    fig = depth_over_time(frame, load_framework(), view.lang, view.span())
    summary = summaries.depth_over_time(frame, view.lang, view.span())
    return fig, summary, tables.depth_over_time(frame, view.lang), ""


def _adoption(view: View) -> tuple:
    frame = fetch_selection("degrees_adoption_by_level", view.selection, version=view.version, lang=view.lang)
    frame = frame.assign(adoption_rate=METRICS["adoption_rate"].compute(frame))
    fig = adoption_by_level(frame, load_framework(), view.lang)
    summary = summaries.adoption_by_level(frame, load_framework(), view.lang)
    return fig, summary, tables.adoption_by_level(frame, load_framework(), view.lang), ""


def _scatter(view: View) -> tuple:
    per_city = _per_city(view)
    median = median_of_cities(
        fetch_selection("aggregates_by_city", view.selection.for_median(), version=view.version, lang=view.lang)
    )
    fig = intensity_depth(per_city, median, load_framework(), view.lang)
    summary = summaries.intensity_depth(per_city, median, view.lang)
    return fig, summary, tables.intensity_depth(per_city, view.lang), ""


def _multiples(view: View) -> tuple:
    grain = grain_for(view.selection.start, view.selection.end)
    frame = fetch_selection(
        "compare_trend_by_city_level", view.selection, version=view.version, lang=view.lang, grain=grain
    )
    frame = frame.assign(per_10k=METRICS["per_10k"].compute(frame))
    order = _per_city(view).sort_values(["participations", "city"], ascending=[False, True])["city"].tolist()
    fig = small_multiples(frame, order, load_framework(), "participations", grain, view.lang, view.span())
    table = tables.small_multiples(frame, load_framework(), view.lang)
    return fig, summaries.small_multiples(frame, order, "participations", view.lang), table, ""


def _city_row(view: View) -> tuple[pd.Series, str]:
    code = view.selection.cities[0]
    row = _per_city(view).set_index("city_code").loc[code]
    return row, view.names().get(code, str(row["city"]))


def _funnel(view: View) -> tuple:
    row, name = _city_row(view)
    table = tables.proposals_funnel(row, view.lang)
    return city_charts.proposals_funnel(row, view.lang), summaries.proposals_funnel(row, name, view.lang), table, name


def _matrix(view: View) -> tuple:
    _, name = _city_row(view)
    frame = fetch_selection(
        "city_activities_by_method_and_level",
        view.selection,
        version=view.version,
        lang=view.lang,
        city=view.selection.cities[0],
    )
    schema, framework = load_schema(), load_framework()
    table = tables.method_level_matrix(frame, schema, framework, view.lang)
    fig = city_charts.method_level_matrix(frame, schema, framework, view.lang)
    return fig, summaries.method_level_matrix(frame, schema, framework, view.lang), table, name


def _answers(view: View) -> tuple:
    """The Follow-up page's funnel: the one city of the selection, or the whole selection."""
    cities = fetch_selection("aggregates_by_city", view.selection, version=view.version, lang=view.lang)
    if len(view.selection.cities) == 1:
        row, name = _city_row(view)
    else:
        row, name = total(cities), text(TEXT, "all_cities", view.lang).capitalize()
    mission = fetch_selection("aggregates_by_city", view.selection.for_median(), version=view.version, lang=view.lang)
    steps = follow_up.median_steps(compute(mission))
    fig = follow_up.funnel(row, steps, name, view.lang)
    return fig, follow_up.funnel_summary(row, steps, name, view.lang), follow_up.funnel_table(row, steps, view.lang), ""


def _delays(view: View) -> tuple:
    per_city = _per_city(view)
    classes = follow_up.delay_classes(per_city, view.lang)
    median = total(per_city)["median_days_to_answer"]
    summary = follow_up.delays_summary(classes, median, view.lang)
    return follow_up.delays(classes, view.lang), summary, follow_up.delays_table(classes, view.lang), ""


def _answer_ranking(view: View) -> tuple:
    order = follow_up.ranked(_per_city(view))
    fig = follow_up.ranking(order, view.lang, limit=PAGE_BARS)
    note = follow_up.top_note(PAGE_BARS, len(order), view.lang)
    return fig, follow_up.ranking_summary(order, view.lang), follow_up.ranking_table(order, view.lang), note


def _representation(view: View) -> tuple:
    ratios = follow_up.with_ratios(_per_city(view))
    fig = follow_up.representation(ratios, view.lang, limit=PAGE_BARS)
    table = follow_up.representation_table(ratios, view.lang)
    note = follow_up.top_note(PAGE_BARS, len(ratios), view.lang)
    return fig, follow_up.representation_summary(ratios, view.lang), table, note


def _returning(view: View) -> tuple:
    frame = fetch_selection("follow_up_returning_by_quarter", view.selection, version=view.version, lang=view.lang)
    frame = frame.assign(returning_share=measure("returning_share", frame))
    summary = follow_up.returning_summary(frame, view.lang, view.span())
    fig = follow_up.returning(frame, view.lang, view.span())
    return fig, summary, follow_up.returning_table(frame, view.lang), ""


BUILDERS = {
    "trend": _trend,
    "multiples": _multiples,
    "ladder": _ladder,
    "map": _map,
    "lens": _lens,
    "depth": _depth,
    "adoption": _adoption,
    "scatter": _scatter,
    "funnel": _funnel,
    "matrix": _matrix,
    "answers": _answers,
    "delays": _delays,
    "answer_ranking": _answer_ranking,
    "representation": _representation,
    "returning": _returning,
}


def _levels_of(key: str, view: View) -> list[tuple[str, str]]:
    """The (label, colour) keys whose bars get their rank written on them."""
    if key == "lens":
        return [(c["label"][view.lang], c["colour"]) for c in lens(load_framework(), view.lens)["categories"]]
    if key in ("trend", "ladder", "multiples"):
        return level_keys(load_framework(), view.lang)
    return []


def build(key: str, view: View) -> Slide:
    """One slide of the view: a chart's key, or "key@N" for the Nth slide of a chart that
    continues (see `expand`). KeyError for an unknown key."""
    chart, _, part = key.partition(PART)
    if chart in PAGED:
        part_number = int(part) if part.isdigit() else 1
        fig, summary, table, note = BUILDERS[chart](view, part_number)
        total = parts(chart, view)
        if total > 1:  # "(2/10)": each slide of the chart has its own title
            fig.update_layout(title_text=f"{fig.layout.title.text} ({part_number}/{total})")
    else:
        fig, summary, table, note = BUILDERS[chart](view)
    title = fig.layout.title.text or text(TEXT, f"slide_{chart}", view.lang)
    return Slide(key, title, fig, summary, table, view.source, view.data_date, note, _levels_of(chart, view))


def build_all(keys: list[str], view: View) -> list[Slide]:
    """The slides of the charts `keys`, continuations included."""
    return [build(key, view) for key in expand(keys, view)]


def subtitle(view: View) -> str:
    """The period and the cities of a view, in words: the report's subtitle."""
    period = text(
        TEXT,
        "period",
        view.lang,
        start=fmt_date(view.selection.start, view.lang),
        end=fmt_date(view.selection.end, view.lang),
    )
    names = view.names()
    scope = ", ".join(names.get(c, c) for c in view.selection.cities) or text(TEXT, "all_cities", view.lang)
    return text(TEXT, "deck_subtitle", view.lang, period=period, scope=scope)


# The key figures of the one-page city report (those of the City page).
REPORT_FIGURES = ("activities", "participations", "per_10k", "depth_index", "adoption_rate", "cocreation_share")
REPORT_FIGURES += ("public_response_rate", "stakeholder_diversity")


def city_report(view: View, now: datetime | None = None) -> str:
    """The one-page report of the view's one city: its key figures against the median of
    the mission cities, its ladder and its trend (SVG when Chromium can draw them)."""
    row, name = _city_row(view)
    median = median_of_cities(
        fetch_selection("aggregates_by_city", view.selection.for_median(), version=view.version, lang=view.lang)
    )
    figures = [
        KeyFigure(
            METRICS[k].label(view.lang),
            fmt_metric(row[k], METRICS[k].unit, view.lang),
            fmt_metric(median.get(k), METRICS[k].unit, view.lang),
            METRICS[k].help(view.lang),
        )
        for k in REPORT_FIGURES
    ]
    charts = [build("ladder", view), build("trend", view)]
    svgs = images.render(print_figures(charts), "svg") if images.available() else None
    period = (fmt_date(view.selection.start, view.lang), fmt_date(view.selection.end, view.lang))
    return city_report_html(name, period, figures, charts, view.lang, svgs, now)
