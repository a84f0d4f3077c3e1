"""A deck as one self-contained HTML file: plotly.js is written into the page (no CDN,
no font or style sheet from elsewhere), so the report opens offline, from an e-mail or
a USB stick, and prints one chart per page. Every chart keeps its title, its one-sentence
takeaway, its data table (in a collapsible block) and its source and data date.

Every text is escaped: city names and deck names come from users."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from html import escape

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from charts.format import fmt_date
from charts.presentation import LABEL_SIZE, THEME, TITLE_SIZE, present
from exports.slide import Slide

CHART_HEIGHT = 560
TEXT = {
    "fr": {
        "data": "Données du graphique",
        "footer": "Source : {source} · données du {date}",
        "made": "Rapport produit le {when}. Il s'ouvre sans connexion : les graphiques sont interactifs (survol, zoom).",
        "slide": "Graphique {n} sur {total}",
    },
    "en": {
        "data": "Chart data",
        "footer": "Source: {source} · data as of {date}",
        "made": "Report made on {when}. It opens without a connection: the charts are interactive (hover, zoom).",
        "slide": "Chart {n} of {total}",
    },
}
STYLE = f"""
body {{ font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; color: {THEME["text"]};
       background: {THEME["background"]}; margin: 0 auto; max-width: 1280px; padding: 24px; font-size: {LABEL_SIZE}px; }}
h1 {{ font-size: {TITLE_SIZE + 6}px; margin: 0 0 8px; }}
h2 {{ font-size: {TITLE_SIZE}px; margin: 0 0 4px; }}
.muted, .note, footer {{ color: {THEME["muted"]}; }}
section {{ border-top: 2px solid {THEME["grid"]}; padding: 16px 0 24px; }}
.takeaway {{ font-size: {LABEL_SIZE + 2}px; margin: 8px 0; }}
table {{ border-collapse: collapse; font-size: 15px; }}
th, td {{ border: 1px solid {THEME["grid"]}; padding: 3px 8px; text-align: left; }}
td {{ font-variant-numeric: tabular-nums; }}
@media print {{
  body {{ padding: 0; max-width: none; }}
  section {{ break-after: page; border: 0; }}
  details {{ display: none; }}
}}
"""


@cache
def plotly_js() -> str:
    """plotly.js from the installed plotly package, to write into the page."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def figure_div(fig: go.Figure, height: int) -> str:
    """The figure as a <div> and the inline script that draws it (plotly.js not included)."""
    config = {"displaylogo": False, "responsive": True}
    return pio.to_html(
        fig, full_html=False, include_plotlyjs=False, config=config, default_width="100%", default_height=f"{height}px"
    )


def table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, border=0, na_rep="—")


def page(title: str, body: str, lang: str, *, style: str = STYLE, with_plotly: bool = True) -> str:
    """A whole HTML document; plotly.js inline in its head when `with_plotly`."""
    script = f"<script>{plotly_js()}</script>" if with_plotly else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{style}</style>{script}</head>\n<body>{body}</body></html>\n"
    )


def _section(slide: Slide, number: int, total: int, lang: str) -> str:
    text = TEXT[lang]
    figure = present(slide.figure, levels=slide.levels, title=False, height=CHART_HEIGHT)
    note = f'<p class="note">{escape(slide.note)}</p>' if slide.note else ""
    footer = text["footer"].format(source=escape(slide.source), date=escape(slide.data_date))
    return (
        f'<section aria-label="{escape(text["slide"].format(n=number, total=total))}">'
        f"<h2>{escape(slide.title)}</h2>{note}"
        f'<figure role="img" aria-label="{escape(slide.summary)}" style="margin:0">{figure_div(figure, CHART_HEIGHT)}</figure>'
        f'<p class="takeaway">{escape(slide.summary)}</p>'
        f"<details><summary>{text['data']}</summary>{table_html(slide.table)}</details>"
        f"<footer>{footer}</footer></section>"
    )


def deck_html(title: str, subtitle: str, slides: list[Slide], lang: str = "fr", now: datetime | None = None) -> str:
    """The deck as a self-contained HTML document."""
    made = TEXT[lang]["made"].format(when=fmt_date(now or datetime.now(), lang, with_time=True))
    head = f'<header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p><p class="muted">{escape(made)}</p></header>'
    sections = "".join(_section(s, n, len(slides), lang) for n, s in enumerate(slides, start=1))
    return page(title, f"{head}<main>{sections}</main>", lang)
