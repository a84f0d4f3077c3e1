"""The Follow-up charts are pure: built from computed aggregates, they draw what the
registry says, say it in one sentence in each language, and give their table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from charts import follow_up as charts
from queries.metrics import BASE_COLUMNS, compute

BASE = {
    "activities": 4,
    "member": True,
    "participations": 400,
    "proposals_received": 150,
    "proposals_adopted": 60,
    "adopted_where_received": 60,
    "received_activities": 4,
    "answered": 120,
    "received_where_answered": 150,
    "answer_activities": 4,
    "answered_within_90": 3,
    "implemented": 30,
    "adopted_where_implemented": 60,
    "implementation_activities": 3,
}


def city(name: str, delays: list[int], **values) -> dict:
    zeros = dict.fromkeys(BASE_COLUMNS, 0)
    return zeros | {"city": name, "city_code": name[:3], "answer_delays": np.array(delays)} | BASE | values


@pytest.fixture
def per_city() -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            city("Lyon", [10, 40, 100, 400]),
            city("Paris", [20, 30, 50], answered=150, answer_activities=3, answered_within_90=3),
            city("Nantes", [], answered=0, received_where_answered=0, answer_activities=0, answered_within_90=0),
        ]
    )
    for column in frame.columns:
        if column not in ("city", "city_code", "answer_delays", "member"):
            frame[column] = frame[column].astype(float)
    return compute(frame)


def test_funnel_steps_are_the_registry_rates(per_city):
    lyon = per_city.iloc[0]
    assert charts.step_shares(lyon) == pytest.approx([1, 0.8, 0.4, 0.2])  # 120/150, 60/150, 0.4 × 30/60
    median = charts.median_steps(per_city)
    assert median[1] == pytest.approx(0.9)  # Lyon 0.8, Paris 1.0; Nantes has no answer rate
    fig = charts.funnel(lyon, median, "Lyon", "fr")
    assert list(fig.data[0].y) == pytest.approx([100, 80, 40, 20])
    assert list(fig.layout.xaxis.ticktext)[1] == "Ayant reçu une réponse<br><b>80,0 %</b>"
    assert [shown for shown, _ in fig.data[0].customdata] == ["100,0 %", "80,0 %", "40,0 %", "20,0 %"]
    assert "120 réponses sur 150 propositions reçues" in fig.data[0].customdata[1][1]
    assert charts.funnel_summary(lyon, median, "Lyon", "en").startswith(
        "Lyon: 80.0 % of the proposals received got a public answer (mission median: 90.0 %)"
    )
    table = charts.funnel_table(lyon, median, "en")
    assert table.columns.tolist() == ["Step", "Proposals", "Share of received (%)", "Median of the mission cities (%)"]


def test_delays_fall_in_their_classes_and_the_summary_counts_them(per_city):
    classes = charts.delay_classes(per_city, "fr")
    assert classes["activities"].tolist() == [3, 2, 0, 1, 0, 1]  # ≤30: 10, 20, 30; 31–60: 40, 50; 100; 400
    assert classes["delay"].iloc[-1] == "> 1 an"
    fig = charts.delays(classes, "fr")
    assert list(fig.data[0].marker.pattern.shape) == ["", "", "", "/", "/", "/"]  # beyond 90 days: hatched
    assert charts.delays_summary(classes, 35, "fr") == (
        "5 des 7 activités datées ont eu leur réponse en 90 jours au plus ; délai médian : 35 j."
    )
    empty = charts.delay_classes(per_city.iloc[[2]], "en")
    assert charts.delays_summary(empty, np.nan, "en") == "No activity in the selection dates its public answer."


def test_ranking_keeps_cities_with_a_rate_best_first(per_city):
    order = charts.ranked(per_city)
    assert order["city"].tolist() == ["Paris", "Lyon"]  # Nantes: no activity reports its answers
    fig = charts.ranking(order, "en", limit=1)
    assert list(fig.data[0].y) == ["Paris"]
    assert fig.data[0].text[0] == "100.0 % · median time 30 days"
    assert charts.top_note(1, len(order), "fr") == "1 villes sur 2 (les plus actives) ; le tableau les donne toutes."
    assert charts.top_note(25, len(order), "fr") == ""
    assert charts.ranking_summary(order.iloc[0:0], "fr").startswith("Aucune ville n'a au moins 3 activités")


def test_representation_draws_the_line_at_one_and_says_who_is_under_represented():
    frame = pd.DataFrame(
        {
            "city": ["Lyon", "Paris"],
            "participations": [100, 50],
            "women_representation": [0.8, 1.1],
            "under_25_representation": [0.5, np.nan],
            "women_activities_with_structure": [3, 2],
            "under_25_activities_with_structure": [3, 0],
        }
    )
    ratios = charts.with_ratios(frame)
    fig = charts.representation(ratios, "fr")
    assert fig.layout.shapes[0].x0 == fig.layout.shapes[0].x1 == 1
    assert [t.name for t in fig.data[1:]] == ["Femmes", "Moins de 25 ans"]
    assert list(fig.data[0].x) == [0.8, 0.5, None]  # the gap of Lyon only: Paris has one ratio
    assert charts.representation_summary(ratios, "fr") == (
        "Sur 2 villes, les moins de 25 ans sont sous-représentés dans 1 et les femmes dans 1 (ratio sous 1)."
    )
    assert charts.representation_summary(ratios.iloc[0:0], "en").startswith("No city has a ratio")


def test_a_quarter_cut_by_today_is_marked_and_named():
    from datetime import date

    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(["2026-07-01", "2026-10-01"]),
            "returning_share": [0.6, 0.7],
            "newcomer_activities": [5, 4],
        }
    )
    span = (date(2026, 1, 1), date(2026, 12, 6))
    fig = charts.returning(frame, "fr", span)
    assert list(fig.data[0].marker.symbol) == ["circle", "circle-open"]
    assert fig.layout.title.subtitle.text.startswith("Hachuré, incomplet : T4 2026")
    summary = charts.returning_summary(frame, "en", span)
    assert summary.startswith("Returning participants: 60.0 % in Q3 2026, 70.0 % in Q4 2026.")
    assert summary.endswith("Incomplete period, not taken as the peak: Q4 2026 (up to 6 Dec 2026).")
