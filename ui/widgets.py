"""Small display helpers shared by pages."""

from __future__ import annotations

import re

import streamlit as st

from queries.metrics import Metric
from ui.i18n import fmt_metric, fmt_number, t
from ui.state import url_switch


def delta_text(metric: Metric, now, before, lang: str) -> str | None:
    """Change against a reference: points for shares, per cent otherwise; None when
    there is nothing to compare with."""
    if now is None or before is None or now != now or before != before:
        return None
    if metric.unit == "share":
        points = 100 * (now - before)
        return f"{'+' if points >= 0 else '−'}{fmt_number(abs(points), lang, 1)} pt{'s' if lang == 'en' else ''}"
    if before == 0:
        return None
    change = 100 * (now - before) / before
    return f"{'+' if change >= 0 else '−'}{fmt_number(abs(change), lang, 1)} %"


def metric_row(metrics: list[Metric], values, reference, lang: str, reference_label: str | None = None) -> None:
    """Key figures in bordered cards, each with its definition and formula as tooltip and
    its change against `reference` (the previous period, or the median of cities)."""
    per_row = 4
    columns = [c for start in range(0, len(metrics), per_row) for c in st.columns(per_row)][: len(metrics)]
    for column, metric in zip(columns, metrics, strict=True):
        help_text = metric.help(lang) + (f"\n\n{reference_label}" if reference_label else "")
        column.metric(
            metric.label(lang),
            fmt_metric(values[metric.key], metric.unit, lang),
            delta=delta_text(metric, values[metric.key], reference[metric.key], lang),
            help=help_text,
            border=True,
        )


def name_width(names, *, least: int = 120) -> int:
    """A table column's width in pixels that shows every name whole ("Grenoble-Alpes
    Métropole", not "Grenoble-A…"): about 8 px a character at the tables' font, plus room."""
    longest = max((len(str(n)) for n in names), default=0)
    return max(least, 8 * longest + 24)


def escape_markdown(value: object) -> str:
    """User text shown literally in markdown: `**`, `[x](y)` or `<b>` in a cell stay text."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(value))


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
