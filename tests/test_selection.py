"""The selection in the URL: the same URL gives the same view; unknown or hostile
values are dropped and listed, never raised."""

from __future__ import annotations

from datetime import date

from queries.selection import Choices, Selection, from_query

CHOICES = Choices(
    first=date(2022, 1, 1),
    last=date(2026, 11, 25),
    countries=frozenset({"FR", "DE"}),
    cities=frozenset({"69123", "75056"}),
    methods=frozenset({"atelier"}),
    themes=frozenset({"energie"}),
    formats=frozenset({"presentiel"}),
)


def test_defaults_when_nothing_is_given():
    s = from_query({}, CHOICES)
    assert (s.start, s.end, s.cities, s.ignored) == (date(2022, 1, 1), date(2026, 11, 25), (), ())
    assert s.params()["cities"] is None


def test_round_trip_through_the_url():
    s = Selection(
        date(2024, 1, 1), date(2024, 6, 30), countries=("FR",), cities=("69123", "75056"), methods=("atelier",)
    )
    assert from_query(s.to_query(CHOICES), CHOICES) == s


def test_hostile_and_unknown_values_are_ignored_with_a_notice():
    query = {
        "from": ["2024-13-45"],
        "to": ["' OR 1=1 --"],
        "city": ["69123", "<script>alert(1)</script>", "69123"],
        "country": ["XX"],
        "method": ["atelier"],
        "format": ["hologramme"],
    }
    s = from_query(query, CHOICES)
    assert (s.start, s.end) == (CHOICES.first, CHOICES.last)
    assert s.cities == ("69123",) and s.methods == ("atelier",) and s.countries == () and s.formats == ()
    assert len(s.ignored) == 5
    assert any("script" in item for item in s.ignored)


def test_reversed_period_falls_back_to_everything():
    s = from_query({"from": ["2025-01-01"], "to": ["2024-01-01"]}, CHOICES)
    assert (s.start, s.end) == (CHOICES.first, CHOICES.last) and s.ignored
