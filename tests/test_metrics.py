"""Queries and metrics on a small hand-made dataset, with every expected figure
worked out by hand (see the comments)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from etl.load import load_file
from queries import framework_params, prepare, run
from queries.metrics import METRICS, compute, median_of_cities, small_count, total
from queries.selection import Selection

# Lyon (69123) population 520,774; Paris (75056) population 2,113,705 (data/cities.csv).
ROWS = """id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_recues;nb_propositions_retenues;nb_femmes;nb_moins_25_ans;nb_nouveaux_participants;nb_citoyens;nb_entreprises;nb_recherche;nb_associations;nb_institutions;retour_public
L1;Lyon;Atelier;2024-01-10;atelier;concertation;2;100;40;10;60;10;30;80;10;0;10;0;oui
L2;Lyon;Budget;2024-02-15;budget_participatif;co_decision;1;300;100;50;;;;;;;;;non
P1;Paris;Réunion;2024-01-20;reunion_publique;information;1;200;;0;3;;;;;;;;
"""
YEAR = Selection(date(2024, 1, 1), date(2024, 12, 31))


@pytest.fixture
def reader(con, write_csv):
    assert load_file(con, write_csv("hand.csv", ROWS)).status == "loaded"
    return prepare(con)


def aggregates(con, selection: Selection = YEAR) -> pd.DataFrame:
    params = selection.params() | framework_params() | {"lang": "fr"}
    return run(con, "aggregates_by_city", params).set_index("city_code")


def test_base_aggregates(reader):
    agg = aggregates(reader)
    lyon, paris = agg.loc["69123"], agg.loc["75056"]
    assert (lyon.activities, lyon.sessions, lyon.participations) == (2, 3, 400)
    assert (lyon.proposals_received, lyon.proposals_adopted, lyon.adopted_where_received) == (140, 60, 60)
    assert lyon.depth_weighted == 100 * 3 + 300 * 5  # concertation is rank 3, co-decision rank 5
    assert (lyon.cocreation_activities, lyon.cocreation_participations) == (1, 300)
    assert (lyon.women, lyon.women_base, lyon.public_responses, lyon.public_response_base) == (60, 100, 1, 2)
    assert (paris.proposals_received, paris.adopted_where_received, paris.public_response_base) == (0, 0, 0)


def test_metrics_per_city(reader):
    m = compute(aggregates(reader))
    lyon, paris = m.loc["69123"], m.loc["75056"]
    assert lyon.adoption_rate == pytest.approx(60 / 140)
    assert lyon.per_10k == pytest.approx(400 / 520_774 * 10_000)  # 7.68
    assert lyon.cocreation_share == 0.5 and lyon.cocreation_share_participations == 0.75
    assert lyon.depth_index == 4.5  # (100×3 + 300×5) / 400
    assert (lyon.newcomer_rate, lyon.women_share, lyon.under_25_share) == (0.3, 0.6, 0.1)
    # Pielou evenness of (80, 10, 0, 10, 0): −(0.8 ln 0.8 + 2 × 0.1 ln 0.1) / ln 5
    expected = -(0.8 * math.log(0.8) + 2 * 0.1 * math.log(0.1)) / math.log(5)
    assert lyon.stakeholder_diversity == pytest.approx(expected)  # 0.397
    assert lyon.public_response_rate == 0.5
    assert paris.depth_index == 1.0 and paris.women_share == 0.015
    assert math.isnan(paris.adoption_rate) and math.isnan(paris.public_response_rate)  # nothing reported
    assert math.isnan(paris.stakeholder_diversity)


def test_totals_and_median(reader):
    agg = aggregates(reader)
    everything = total(agg)
    assert everything.participations == 600
    assert everything.per_10k == pytest.approx(600 / (520_774 + 2_113_705) * 10_000)  # 2.28
    assert everything.depth_index == pytest.approx(2000 / 600)  # (1800 + 200) / 600
    assert everything.cocreation_share == pytest.approx(1 / 3)
    median = median_of_cities(agg)
    assert median.depth_index == 2.75  # median of 4.5 and 1.0
    assert median.per_10k == pytest.approx((400 / 520_774 + 200 / 2_113_705) * 10_000 / 2)


def test_a_city_without_a_population_has_no_figure_per_10k_and_counts_in_none(reader, write_csv):
    """Gozo has no reference population: its figure per 10,000 is missing ("—"), its
    participations stay out of the selection's figure per 10,000, and it stays out of the
    median of that figure (its other metrics count)."""
    gozo = ROWS.splitlines()[0] + "\nG1;Gozo;Workshop;2024-03-01;atelier;concertation;1;100;;0;;;;;;;;;\n"
    assert load_file(reader, write_csv("gozo.csv", gozo)).status == "loaded"
    agg = aggregates(reader)
    assert pd.isna(agg.loc["MT-ghawdex"].population) and agg.loc["MT-ghawdex"].participations_with_population == 0
    assert math.isnan(compute(agg).loc["MT-ghawdex"].per_10k)
    everything = total(agg)
    assert everything.participations == 700
    assert everything.per_10k == pytest.approx(600 / (520_774 + 2_113_705) * 10_000)  # Gozo's 100 left out
    median = median_of_cities(agg)
    assert median.per_10k == pytest.approx((400 / 520_774 + 200 / 2_113_705) * 10_000 / 2)  # Lyon and Paris
    assert median.depth_index == 3.0  # 4.5, 1.0 and Gozo's 3.0: every member counts here


def test_a_city_outside_the_mission_counts_in_no_median(reader, write_csv):
    """A city outside the mission is shown with its data (in the totals of a selection that
    holds it) but never in the median of the mission cities."""
    reader.execute(
        "INSERT INTO cities (code, nom, pays, population, alias, mission) VALUES ('AT-wien', 'Wien', 'AT', 2000000, [], false)"
    )
    wien = ROWS.splitlines()[0] + "\nW1;Wien;Survey;2024-03-01;enquete;co_decision;1;1000;;0;;;;;;;;;\n"
    assert load_file(reader, write_csv("wien.csv", wien)).status == "loaded"
    agg = aggregates(reader)
    assert bool(agg.loc["AT-wien"].member) is False and bool(agg.loc["69123"].member) is True
    assert total(agg).participations == 1600
    median = median_of_cities(agg)
    assert median.depth_index == 2.75  # Lyon and Paris only, as without Wien
    assert median.per_10k == pytest.approx((400 / 520_774 + 200 / 2_113_705) * 10_000 / 2)


def test_filters(reader):
    workshops = aggregates(reader, replace(YEAR, methods=("atelier",)))
    assert workshops.loc["69123"].participations == 100
    assert workshops.loc["75056"].activities == 0  # still in scope, with zeros
    paris = aggregates(reader, replace(YEAR, cities=("75056",)))
    assert list(paris.index) == ["75056"]
    january = aggregates(reader, Selection(date(2024, 1, 1), date(2024, 1, 31)))
    assert january.activities.sum() == 2
    assert aggregates(reader, replace(YEAR, countries=("DE",))).empty


def test_previous_period():
    selection = Selection(date(2024, 3, 1), date(2024, 3, 31))
    before = selection.previous()
    assert (before.start, before.end) == (date(2024, 1, 30), date(2024, 2, 29))


def test_trend_by_level(reader):
    trend = run(reader, "trend_by_level", YEAR.params() | {"grain": "month"})
    rows = [(str(r.period.date()), r.level, r.activities, r.participations) for r in trend.itertuples()]
    assert rows == [
        ("2024-01-01", "concertation", 1, 100),
        ("2024-01-01", "information", 1, 200),
        ("2024-02-01", "co_decision", 1, 300),
    ]
    quarters = run(reader, "trend_by_level", YEAR.params() | {"grain": "quarter"})
    assert quarters["activities"].sum() == 3 and quarters["period"].nunique() == 1


def test_every_metric_is_documented_in_both_languages():
    for metric in METRICS.values():
        for lang in ("fr", "en"):
            assert metric.label(lang) and metric.definition(lang) and metric.formula(lang)
    assert "pas des personnes uniques" in METRICS["participations"].definition("fr")
    assert "not unique people" in METRICS["participations"].definition("en")


def test_small_demographic_counts_are_hidden():
    assert [small_count(n) for n in (0, 1, 4, 5, 60)] == [0, "< 5", "< 5", 5, 60]
