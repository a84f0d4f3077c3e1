"""A one-page city report to print (A4, portrait) or send: the city's key figures
against the median of the mission cities, its ladder (activities by degree of
engagement) and its trend, each chart with its one-sentence takeaway.

The charts are inline SVG when images can be drawn (exports.images: small file, sharp
print); otherwise the page carries plotly.js and draws them itself. Either way the file
is self-contained and opens offline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

import plotly.graph_objects as go

from charts.format import fmt_date
from charts.presentation import THEME, label_levels
from exports.report_html import figure_div, page
from exports.slide import Slide

# A4 portrait less 12 mm margins is 186 mm: about 700 CSS pixels.
WIDTH = 700
HEIGHTS = {"ladder": 210, "trend": 330}
TEXT = {
    "fr": {
        "title": "{city} — participation citoyenne",
        "period": "Activités du {start} au {end}",
        "figure": "Indicateur",
        "value": "{city}",
        "median": "Médiane des villes de la mission",
        "footer": "Source : {source} · données du {date} · rapport du {when}",
    },
    "en": {
        "title": "{city} — citizen engagement",
        "period": "Activities from {start} to {end}",
        "figure": "Key figure",
        "value": "{city}",
        "median": "Median of the mission cities",
        "footer": "Source: {source} · data as of {date} · report of {when}",
    },
}
STYLE = f"""
@page {{ size: A4 portrait; margin: 12mm; }}
body {{ font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; color: {THEME["text"]};
       background: #FFFFFF; width: {WIDTH}px; margin: 0 auto; font-size: 13px; }}
h1 {{ font-size: 24px; margin: 0; }}
h2 {{ font-size: 16px; margin: 10px 0 2px; }}
p {{ margin: 2px 0; }}
.muted, footer {{ color: {THEME["muted"]}; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 6px; }}
th, td {{ border-bottom: 1px solid {THEME["grid"]}; padding: 3px 6px; text-align: left; }}
td.n, th.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure {{ margin: 0; }}
svg {{ max-width: 100%; height: auto; }}
footer {{ margin-top: 8px; font-size: 11px; }}
"""


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    median: str
    definition: str


def print_figure(fig: go.Figure, levels: list[tuple[str, str]], height: int) -> go.Figure:
    """The chart at print size: white, 12 px text, no title (the report has it), levels
    labelled directly."""
    out = go.Figure(fig)
    out.update_layout(
        title=None,
        template="plotly_white",
        width=WIDTH,
        height=height,
        font={"size": 12, "color": THEME["text"]},
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
    )
    if levels:
        label_levels(out, levels)
        out.update_traces(textfont_size=12, selector={"type": "bar"})
        out.update_layout(uniformtext={"minsize": 12, "mode": "hide"})
    return out


def _svg_inline(svg: bytes) -> str:
    text = svg.decode("utf-8")
    return text[text.index("<svg") :]  # drop any XML prologue: the SVG sits inside HTML


def city_report_html(
    city: str,
    period: tuple[str, str],
    figures: list[KeyFigure],
    charts: list[Slide],
    lang: str = "fr",
    svgs: list[bytes] | None = None,
    now: datetime | None = None,
) -> str:
    """The report as an HTML document. `charts`: the ladder and trend slides (their
    `key` picks the height); `svgs`: their pictures at print size (see `print_figures`),
    or None to draw them with plotly.js in the page."""
    text = TEXT[lang]
    rows = "".join(
        f'<tr><th scope="row" title="{escape(f.definition)}">{escape(f.label)}</th>'
        f'<td class="n">{escape(f.value)}</td><td class="n">{escape(f.median)}</td></tr>'
        for f in figures
    )
    table = (
        f'<table><thead><tr><th>{text["figure"]}</th><th class="n">{escape(text["value"].format(city=city))}</th>'
        f'<th class="n">{text["median"]}</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    blocks = []
    for index, chart in enumerate(charts):
        height = HEIGHTS.get(chart.key, 300)
        drawn = (
            _svg_inline(svgs[index]) if svgs else figure_div(print_figure(chart.figure, chart.levels, height), height)
        )
        blocks.append(
            f"<h2>{escape(chart.title)}</h2>"
            f'<figure role="img" aria-label="{escape(chart.summary)}">{drawn}</figure><p>{escape(chart.summary)}</p>'
        )
    source, date = (charts[0].source, charts[0].data_date) if charts else ("", "")
    when = fmt_date(now or datetime.now(), lang, with_time=True)
    title = text["title"].format(city=city)
    body = (
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="muted">{escape(text["period"].format(start=period[0], end=period[1]))}</p></header>'
        f"<main>{table}{''.join(blocks)}</main>"
        f"<footer>{escape(text['footer'].format(source=source, date=date, when=when))}</footer>"
    )
    return page(title, body, lang, style=STYLE, with_plotly=not svgs)


def print_figures(charts: list[Slide]) -> list[go.Figure]:
    """The report's charts at print size, for exports.images.render (one call per chart
    height)."""
    return [print_figure(c.figure, c.levels, HEIGHTS.get(c.key, 300)) for c in charts]
