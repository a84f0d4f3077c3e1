"""Incomplete periods on the trend charts: a month or quarter the selection covers only in
part (December with data to the 6th) is hatched, named, and never taken as the peak."""

from __future__ import annotations

from datetime import date

import pandas as pd

from charts import summaries
from charts.compare import small_multiples
from charts.degrees import depth_over_time
from charts.periods import bounds, is_partial, partial_note, span_of
from charts.trend import trend_by_level
from etl.schema import load_framework

FW = load_framework()
SPAN = (date(2026, 1, 1), date(2026, 12, 6))  # data up to today, 6 December 2026


def months() -> pd.DataFrame:
    """Activities by month: 10 in October, 12 in November, 3 in the first 6 days of December."""
    return pd.DataFrame(
        {
            "period": pd.to_datetime(["2026-10-01", "2026-11-01", "2026-12-01", "2026-12-01"]),
            "city": ["Lyon", "Lyon", "Lyon", "Wien"],
            "level": ["information", "concertation", "concertation", "co_decision"],
            "activities": [10, 12, 2, 1],
            "participations": [100, 120, 20, 10],
            "per_10k": [1.0, 1.2, 0.2, 0.1],
        }
    )


def test_a_period_is_partial_when_the_span_cuts_it():
    assert bounds(pd.Timestamp("2026-12-01"), "month") == (date(2026, 12, 1), date(2026, 12, 31))
    assert bounds(pd.Timestamp("2026-10-01"), "quarter") == (date(2026, 10, 1), date(2026, 12, 31))
    assert is_partial(pd.Timestamp("2026-12-01"), "month", SPAN)
    assert not is_partial(pd.Timestamp("2026-11-01"), "month", SPAN)
    assert is_partial(pd.Timestamp("2026-10-01"), "quarter", SPAN)
    assert is_partial(pd.Timestamp("2025-12-01"), "month", (date(2025, 12, 15), date(2026, 3, 31)))
    assert not is_partial(pd.Timestamp("2026-12-01"), "month", None)
    assert span_of(date(2024, 1, 1), date(2030, 1, 1), today=date(2026, 12, 6)) == (date(2024, 1, 1), date(2026, 12, 6))


def test_the_note_names_the_incomplete_periods_in_the_language():
    periods = months()["period"]
    assert partial_note(periods, "month", SPAN, "fr") == "Hachuré, incomplet : décembre 2026 (jusqu'au 6 déc. 2026)"
    assert partial_note(periods, "month", SPAN, "en") == "Hatched, incomplete: December 2026 (up to 6 Dec 2026)"
    quarters = pd.to_datetime(["2026-07-01", "2026-10-01"])
    assert partial_note(quarters, "quarter", SPAN, "fr") == "Hachuré, incomplet : T4 2026 (jusqu'au 6 déc. 2026)"
    both = (date(2026, 10, 15), date(2026, 12, 6))
    assert partial_note(periods, "month", both, "fr") == (
        "Hachurés, incomplets : octobre 2026 (depuis le 15 oct. 2026) et décembre 2026 (jusqu'au 6 déc. 2026)"
    )
    whole = (date(2026, 10, 1), date(2026, 11, 30))
    assert partial_note(periods[:2], "month", whole, "fr") is None


def test_trend_hatches_the_partial_month_and_says_so():
    fig = trend_by_level(months(), FW, "activities", "month", "fr", SPAN)
    assert fig.layout.title.subtitle.text == "Hachuré, incomplet : décembre 2026 (jusqu'au 6 déc. 2026)"
    concertation = next(t for t in fig.data if t.name == "Concertation")
    assert list(concertation.marker.pattern.shape) == ["", "/"]  # November whole, December partial
    assert list(concertation.marker.opacity) == [1.0, 0.55]
    plain = trend_by_level(months(), FW, "activities", "month", "fr")  # no span: nothing marked
    assert not plain.layout.title.subtitle.text
    assert all(t.marker.pattern.shape is None for t in plain.data)


def test_summary_never_takes_a_partial_period_as_the_peak():
    frame = months()
    frame.loc[2, "activities"] = 40  # December, partial, would be the peak
    sentence = summaries.trend_by_level(frame, FW, "activities", "month", "fr", SPAN)
    assert "au plus haut en novembre 2026 (12)" in sentence
    assert sentence.endswith(" Période incomplète, hors pic : décembre 2026 (jusqu'au 6 déc. 2026).")
    english = summaries.trend_by_level(frame, FW, "activities", "month", "en", SPAN)
    assert english.endswith(" Incomplete period, not taken as the peak: December 2026 (up to 6 Dec 2026).")


def test_small_multiples_and_depth_mark_partial_periods_too():
    fig = small_multiples(months(), ["Lyon", "Wien"], FW, "participations", "month", "en", SPAN)
    assert fig.layout.title.subtitle.text == "Hatched, incomplete: December 2026 (up to 6 Dec 2026)"
    wien = [t for t in fig.data if t.xaxis == "x2" and len(t.x)]
    assert [list(t.marker.pattern.shape) for t in wien] == [["/"]]
    depth = pd.DataFrame(
        {
            "period": pd.to_datetime(["2026-07-01", "2026-10-01"]),
            "city_code": [None, None],
            "city": [None, None],
            "participations": [100, 30],
            "depth_index": [2.5, 3.5],
        }
    )
    fig = depth_over_time(depth, FW, "fr", SPAN)
    assert list(fig.data[-1].marker.symbol) == ["circle", "circle-open"]
    assert fig.layout.title.subtitle.text == "Hachuré, incomplet : T4 2026 (jusqu'au 6 déc. 2026)"
    sentence = summaries.depth_over_time(depth, "fr", SPAN)
    assert "au plus haut à 2,50 (T3 2026)" in sentence and sentence.endswith("T4 2026 (jusqu'au 6 déc. 2026).")
