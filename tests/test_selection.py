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


MISSION = Choices(
    first=date(2022, 1, 1),
    last=date(2026, 11, 25),
    groups=frozenset({"EU", "associated"}),
    countries=frozenset({"FR", "DE", "NO", "TR"}),
    country_groups=(("DE", "EU"), ("FR", "EU"), ("NO", "associated"), ("TR", "associated")),
    cities=frozenset({"69123", "NO-oslo"}),
)


def test_a_group_stands_for_its_countries():
    associated = from_query({"group": ["associated"]}, MISSION)
    assert associated.groups == ("associated",) and associated.params()["countries"] == ["NO", "TR"]
    both = from_query({"group": ["EU", "associated"]}, MISSION)
    assert both.params()["countries"] == ["DE", "FR", "NO", "TR"]
    assert from_query({}, MISSION).params()["countries"] is None  # no group: every country


def test_a_group_and_countries_keep_the_countries_of_the_group():
    norway = from_query({"group": ["associated"], "country": ["NO", "FR"]}, MISSION)
    assert norway.params()["countries"] == ["NO"]
    nothing = from_query({"group": ["associated"], "country": ["FR"]}, MISSION)
    assert nothing.params()["countries"] == [""]  # no country of the group: nothing matches, nothing widens


def test_a_group_goes_through_the_url_and_unknown_groups_are_ignored():
    s = from_query({"group": ["associated"], "city": ["NO-oslo"]}, MISSION)
    assert s.to_query(MISSION) == {"group": ["associated"], "city": ["NO-oslo"]}
    assert from_query(s.to_query(MISSION), MISSION) == s
    hostile = from_query({"group": ["UE", "<b>"]}, MISSION)
    assert hostile.groups == () and len(hostile.ignored) == 2
