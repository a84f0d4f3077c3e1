"""The slides of a deck for a selection: each is a view of the views layer (views/: the
page's own query, chart builder, takeaway and table) drawn for the deck's scope.

No drawing here: the Present page, the exporters and the tests all take these Slides.
"""

from __future__ import annotations

from datetime import datetime

from charts.format import fmt_date, fmt_metric
from exports import images
from exports.city_report import KeyFigure, city_report_html, print_figures
from exports.slide import Slide
from queries import fetch, fetch_selection
from queries.selection import Selection
from ui.texts import text
from ui.texts.present import TEXT
from views import VIEWS, Scope
from views.city import city_code, city_figures, city_row
from views.overview import KeyFigures

KEYS = ("trend", "multiples", "ladder", "map", "lens", "depth", "adoption", "scatter")
KEYS += ("answers", "delays", "answer_ranking", "representation", "returning")  # the Follow-up page's
KEYS += ("funnel", "matrix")
PAGE_BARS = 12  # cities on one slide's bar chart: at 1280×720 each bar keeps room for its rank labels
PART = "@"  # "ladder@2": the second slide of the ladder
ONE_CITY = ("funnel", "matrix")  # their slide names the city

# What a deck shows: the selection, the data version, the language and the lens (a scope
# of the views layer, its widgets' choices left to each view's default).
View = Scope


def footer_facts(version: int, lang: str) -> tuple[str, str]:
    """The source (saying when the data are demo data) and the date of the last load."""
    status = fetch("data_status", version=version).iloc[0]
    key = "source_demo" if status["has_demo"] else "source_open_data" if status["has_open_data"] else "source"
    source = text(TEXT, key, lang)
    return source, fmt_date(status["last_load"], lang, with_time=True)


def available(selection: Selection) -> list[str]:
    """The slides that make sense for a selection: side by side needs 2 to 12 cities, the
    funnel and the matrix exactly one."""
    return [k for k in KEYS if VIEWS[k].suits(selection)]


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
    if not VIEWS[key].paged:
        return 1
    return max(1, -(-len(_city_order(view)) // PAGE_BARS))


def expand(keys: list[str], view: View) -> list[str]:
    """The slides of the charts `keys`, continuations included: "ladder", "ladder@2", …"""
    return [key if part == 1 else f"{key}{PART}{part}" for key in keys for part in range(1, parts(key, view) + 1)]


def _page_cities(view: View, part: int) -> tuple[tuple[str, ...], str]:
    """The cities of slide `part` (PAGE_BARS of them, most activities first; none: all),
    and the note saying which they are when the chart takes more than one slide."""
    order = _city_order(view)
    if len(order) <= PAGE_BARS:
        return (), ""
    first = (part - 1) * PAGE_BARS
    shown = order[first : first + PAGE_BARS]
    note = text(TEXT, "page_cities", view.lang, first=first + 1, last=first + len(shown), total=len(order))
    return tuple(shown), note


def build(key: str, view: View) -> Slide:
    """One slide of the view: a chart's key, or "key@N" for the Nth slide of a chart that
    continues (see `expand`). KeyError for an unknown key."""
    chart, _, part = key.partition(PART)
    one = view.selection.cities[0] if len(view.selection.cities) == 1 else ""
    scope = view.with_(measure="", grain="", city=one, limit=PAGE_BARS)
    note, total = "", parts(chart, view)
    if total > 1:
        part_number = int(part) if part.isdigit() else 1
        shown, note = _page_cities(view, part_number)
        scope = scope.with_(shown=shown)
    drawn = VIEWS[chart].draw(scope, always=True)  # a slide asked for is drawn, empty or not
    fig = drawn.figure
    if total > 1:  # "(2/10)": each slide of the chart has its own title
        fig.update_layout(title_text=f"{fig.layout.title.text} ({part_number}/{total})")
    if chart in ONE_CITY:
        note = city_row(scope.fetch("aggregates_by_city"), scope)[1]
    title = fig.layout.title.text or text(TEXT, f"slide_{chart}", view.lang)
    table = drawn.table()
    return Slide(key, title, fig, drawn.summary, table, view.source, view.data_date, note or drawn.note, drawn.levels)


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


def report_figures(view: View) -> KeyFigures:
    """The report's key figures: the City page's (views.city.city_figures, the metric
    registry's) for the view's one city, against the median of the mission cities over
    the same selection without its city filter, as the page takes them."""
    every_city = view.of_cities([])
    return city_figures(every_city.with_(city=city_code(view)), every_city.fetch("aggregates_by_city"))


def city_report(view: View, now: datetime | None = None) -> str:
    """The one-page report of the view's one city: its key figures against the median of
    the mission cities (the City page's), its ladder and its trend (SVG when Chromium can
    draw them)."""
    key_figures, lang = report_figures(view), view.lang
    name = view.names().get(city_code(view), str(key_figures.values["city"]))
    figures = [
        KeyFigure(
            m.label(lang),
            fmt_metric(key_figures.values[m.key], m.unit, lang),
            fmt_metric(key_figures.reference.get(m.key), m.unit, lang),
            m.help(lang),
        )
        for m in key_figures.metrics
    ]
    charts = [build("ladder", view), build("trend", view)]
    svgs = images.render(print_figures(charts), "svg") if images.available() else None
    period = (fmt_date(view.selection.start, view.lang), fmt_date(view.selection.end, view.lang))
    return city_report_html(name, period, figures, charts, view.lang, svgs, now)
