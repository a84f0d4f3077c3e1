"""Periods of the trend charts (months, quarters) and the ones a selection covers only in
part: a month cut by the end of the data (December with data to the 6th) would read as a
sharp drop, so the charts hatch such periods and say which they are. Pure: no I/O.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from babel.dates import format_date

from charts.format import LOCALES, fmt_date

Span = tuple[date, date]  # the days a chart covers: the selection's, cut at today

TEXT = {
    "fr": {
        "quarter": "T{q} {year}",
        "since": "depuis le {date}",
        "until": "jusqu'au {date}",
        "between": "du {start} au {end}",
        "note_one": "Hachuré, incomplet : {periods}",
        "note_several": "Hachurés, incomplets : {periods}",
        "summary_one": " Période incomplète, hors pic : {periods}.",
        "summary_several": " Périodes incomplètes, hors pic : {periods}.",
        "and": " et ",
    },
    "en": {
        "quarter": "Q{q} {year}",
        "since": "from {date}",
        "until": "up to {date}",
        "between": "from {start} to {end}",
        "note_one": "Hatched, incomplete: {periods}",
        "note_several": "Hatched, incomplete: {periods}",
        "summary_one": " Incomplete period, not taken as the peak: {periods}.",
        "summary_several": " Incomplete periods, not taken as the peak: {periods}.",
        "and": " and ",
    },
}
HATCH = {"shape": "/", "fillmode": "overlay", "solidity": 0.4}  # how a partial period's bars look
PARTIAL_OPACITY = 0.55


def quarter_label(period, lang: str) -> str:
    """T1 2024 in French, Q1 2024 in English."""
    stamp = pd.Timestamp(period)
    return TEXT[lang]["quarter"].format(q=stamp.quarter, year=stamp.year)


def period_label(period, grain: str, lang: str) -> str:
    """ "décembre 2026" or "T4 2026" (grain "month" or "quarter")."""
    if grain == "quarter":
        return quarter_label(period, lang)
    return format_date(pd.Timestamp(period).date(), "MMMM y", locale=LOCALES[lang])


def bounds(period, grain: str) -> Span:
    """First and last day of the month or quarter starting at `period`."""
    first = pd.Timestamp(period).normalize()
    last = first + pd.offsets.MonthEnd(3 if grain == "quarter" else 1)
    return first.date(), last.date()


def span_of(start: date, end: date, today: date | None = None) -> Span:
    """The days a chart of the period [start, end] can hold: none after today."""
    return start, min(end, today or date.today())


def is_partial(period, grain: str, span: Span | None) -> bool:
    """Does `span` cover only part of the period starting at `period`?"""
    if span is None:
        return False
    first, last = bounds(period, grain)
    return first < span[0] or last > span[1]


def partial_mask(periods, grain: str, span: Span | None) -> list[bool]:
    """is_partial for each of `periods` (one entry per value, repeated values included)."""
    known: dict = {}
    out = []
    for period in periods:
        key = pd.Timestamp(period)
        if key not in known:
            known[key] = is_partial(key, grain, span)
        out.append(known[key])
    return out


def partial_periods(periods, grain: str, span: Span | None, lang: str) -> list[str]:
    """The incomplete ones of `periods`, each in words with the days it holds:
    ["décembre 2026 (jusqu'au 6 déc. 2026)"]."""
    if span is None:
        return []
    text, parts = TEXT[lang], []
    for period in sorted({pd.Timestamp(p) for p in periods if p is not None and p == p}):
        first, last = bounds(period, grain)
        cut_start, cut_end = first < span[0], last > span[1]
        if not (cut_start or cut_end):
            continue
        if cut_start and cut_end:
            days = text["between"].format(start=fmt_date(span[0], lang), end=fmt_date(span[1], lang))
        elif cut_start:
            days = text["since"].format(date=fmt_date(span[0], lang))
        else:
            days = text["until"].format(date=fmt_date(span[1], lang))
        parts.append(f"{period_label(period, grain, lang)} ({days})")
    return parts


def partial_note(periods, grain: str, span: Span | None, lang: str, kind: str = "note") -> str | None:
    """Which of `periods` are incomplete, as a chart's subtitle ("Hachuré, incomplet :
    décembre 2026 (jusqu'au 6 déc. 2026)") or, with kind="summary", as the end of its
    summary sentence; None when every period is whole."""
    parts = partial_periods(periods, grain, span, lang)
    if not parts:
        return None
    template = f"{kind}_{'one' if len(parts) == 1 else 'several'}"
    return TEXT[lang][template].format(periods=TEXT[lang]["and"].join(parts))


def mark_partial_bars(bars: list[dict], grain: str, span: Span | None) -> list[dict]:
    """Hatch and lighten the bars of partial periods (each bar dict has its periods in `x`)."""
    for bar in bars:
        partial = partial_mask(bar["x"], grain, span) if len(bar["x"]) and bar["x"][0] is not None else []
        if any(partial):
            marker = bar.setdefault("marker", {})
            marker["opacity"] = [PARTIAL_OPACITY if p else 1.0 for p in partial]
            marker["pattern"] = HATCH | {"shape": ["/" if p else "" for p in partial]}
    return bars
