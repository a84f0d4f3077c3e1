"""Small display helpers shared by pages."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from charts.format import escape_markdown
from queries.metrics import Metric
from ui.i18n import fmt_metric, fmt_number, t
from ui.state import url_switch

__all__ = ["Delta", "delta", "escape_markdown", "measure_switch", "metric_row", "name_width"]


@dataclass(frozen=True)
class Delta:
    """A change as shown under a key figure: its text and the sign of the value as shown
    (what rounds to zero is zero: no arrow, grey)."""

    text: str
    sign: int  # -1, 0 or +1
    better: str = "higher"  # the metric's (queries.metrics.Metric.better): which way is good news

    @property
    def arrow(self) -> str:
        return {1: "up", -1: "down", 0: "off"}[self.sign]

    @property
    def colour(self) -> str:
        if self.better == "neutral":
            return "gray"
        good = self.sign if self.better == "higher" else -self.sign
        return {1: "green", -1: "red", 0: "gray"}[good]


def delta(metric: Metric, now, before, lang: str) -> Delta | None:
    """Change against a reference: points for shares, per cent otherwise; None when
    there is nothing to compare with. The sign is written with a true minus (−12,5 %),
    which Streamlit does not read as negative: the arrow and colour are given from it."""
    if now is None or before is None or now != now or before != before:
        return None
    if metric.unit == "share":
        change, unit = 100 * (now - before), " pt" if lang == "fr" else " pts"
    elif before == 0:
        return None
    else:
        change, unit = 100 * (now - before) / before, " %"
    shown = round(abs(change), 1)
    sign = 0 if shown == 0 else 1 if change > 0 else -1
    return Delta(
        f"{'+' if sign > 0 else '−' if sign < 0 else ''}{fmt_number(shown, lang, 1)}{unit}", sign, metric.better
    )


# Rows of cards: horizontal containers rather than columns, half the elements (every element
# drawn delays a page's first view: bench/README.md, "Pages"). A horizontal
# container sizes its children by their content: the frame's style sheet (CARD_STYLE) gives
# each card its share of the row, like columns, the last row's too (the "small" gap is
# 1rem), and a whole row on a phone. Cards per row, by the rows' key prefix:
CARDS_PER_ROW = {"key_figures_": 4, "scale_cards_": 5}
CARD_STYLE = "".join(
    f'[class*="st-key-{key}"] > * {{ flex: 0 0 calc({100 / n:g}% - {(n - 1) / n:g}rem) !important; '
    "min-width: 0 !important; }\n"
    f'@media (max-width: 640px) {{ [class*="st-key-{key}"] > * {{ flex-basis: 100% !important; }} }}\n'
    for key, n in CARDS_PER_ROW.items()
) + (
    # A key figure's name wraps rather than ending in "…" in a quarter row ("Answered within
    # 90 d…"): Streamlit keeps a metric's label on one line.
    '[class*="st-key-key_figures_"] [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"], '
    '[class*="st-key-key_figures_"] [data-testid="stMetricLabel"] p { white-space: normal !important; }\n'
    # ...and the cards of a row keep one height when a name takes two lines.
    '[class*="st-key-key_figures_"] { align-items: stretch !important; }\n'
    '[class*="st-key-key_figures_"] [data-testid="stMetric"] { height: 100%; }\n'
)


def card_rows(key: str, count: int) -> list:
    """The container of each of `count` cards, in rows of `key`'s length (CARDS_PER_ROW).
    The rows' widget keys start with `key`: one set of rows per prefix on a page."""
    per_row = CARDS_PER_ROW[key]
    rows = [st.container(horizontal=True, key=f"{key}{i}") for i in range(0, count, per_row)]
    return [rows[i // per_row] for i in range(count)]


def metric_row(metrics: list[Metric], values, reference, lang: str, reference_label: str | None = None) -> None:
    """Key figures in bordered cards, each with its definition and formula as tooltip and
    its change against `reference` (the previous period, or the median of cities): the
    arrow and its colour follow the sign of the change."""
    for column, metric in zip(card_rows("key_figures_", len(metrics)), metrics, strict=True):
        help_text = metric.help(lang) + (f"\n\n{reference_label}" if reference_label else "")
        change = delta(metric, values[metric.key], reference[metric.key], lang)
        column.metric(
            metric.label(lang),
            fmt_metric(values[metric.key], metric.unit, lang),
            delta=change.text if change else None,
            delta_color=change.colour if change else "normal",
            delta_arrow=change.arrow if change else "auto",
            help=help_text,
            border=True,
        )


def name_width(names, *, least: int = 120) -> int:
    """A table column's width in pixels that shows every name whole ("Grenoble-Alpes
    Métropole", not "Grenoble-A…"): about 8 px a character at the tables' font, plus room."""
    longest = max((len(str(n)) for n in names), default=0)
    return max(least, 8 * longest + 24)


def measure_switch(container, lang: str, key: str) -> str:
    """What a chart counts, activities or participations, kept in the URL as `measure`."""
    return url_switch(
        container,
        t("measure", lang),
        ["activities", "participations"],
        param="measure",
        default="activities",
        format_func=lambda m: t(f"measure_{m}", lang),
        key=key,
    )
