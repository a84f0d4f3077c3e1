"""What the user is looking at: period, country groups (EU member states, associated
countries), countries, cities, methods, themes, formats.

Kept in the URL query parameters, so that the same URL gives the same view. Parsing is
pure (no streamlit): unknown or hostile values are dropped and listed, never raised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

# URL key -> Selection attribute, for the multi-valued filters.
LIST_KEYS = {
    "group": "groups",
    "country": "countries",
    "city": "cities",
    "method": "methods",
    "theme": "themes",
    "format": "formats",
}
MAX_VALUES = 200  # more values than any real filter has: a hostile URL


@dataclass(frozen=True)
class Choices:
    """The values a selection may take: what the database and the schema know."""

    first: date
    last: date
    groups: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    cities: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    formats: frozenset[str] = frozenset()
    country_groups: tuple[tuple[str, str], ...] = ()  # (country, group) of the countries with data

    def countries_of(self, groups: tuple[str, ...]) -> tuple[str, ...]:
        """The countries with data in `groups`."""
        return tuple(sorted(c for c, g in self.country_groups if g in groups))


@dataclass(frozen=True)
class Selection:
    """A validated selection. Empty tuples mean "all". A group (EU member states or
    associated countries) stands for its countries (`group_countries`, filled from the
    data by `from_query`); with countries chosen as well, those of the group count."""

    start: date
    end: date
    groups: tuple[str, ...] = ()
    group_countries: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    ignored: tuple[str, ...] = field(default=(), compare=False)

    def params(self) -> dict:
        """Bound parameters for the `selected_activities` table macro (None = all)."""
        return {
            "start": self.start,
            "end": self.end,
            "countries": self.country_scope(),
            "cities": list(self.cities) or None,
            "methods": list(self.methods) or None,
            "themes": list(self.themes) or None,
            "formats": list(self.formats) or None,
        }

    def country_scope(self) -> list[str] | None:
        """The countries the selection covers (None: all). Chosen groups keep only their
        countries; a group with none of the chosen countries matches nothing ([""])."""
        if not self.groups:
            return list(self.countries) or None
        inside = [c for c in self.countries or self.group_countries if c in self.group_countries]
        return inside or [""]

    def for_median(self) -> Selection:
        """What the median of the mission cities is taken over: the same period and filters
        without the city filter (a city is set against all the cities, not against itself).
        queries.metrics.median_of_cities then keeps those with at least one activity."""
        return replace(self, cities=())

    def previous(self) -> Selection:
        """The same filters over the period of the same length just before."""
        days = (self.end - self.start).days + 1
        return replace(self, start=self.start - timedelta(days=days), end=self.start - timedelta(days=1))

    def to_query(self, choices: Choices) -> dict[str, list[str]]:
        """The URL query parameters that give this selection back (defaults left out)."""
        out: dict[str, list[str]] = {}
        if self.start != choices.first:
            out["from"] = [self.start.isoformat()]
        if self.end != choices.last:
            out["to"] = [self.end.isoformat()]
        for key, attr in LIST_KEYS.items():
            if getattr(self, attr):
                out[key] = list(getattr(self, attr))
        return out

    def with_groups(self, choices: Choices) -> Selection:
        """The same selection with its groups' countries taken from `choices`."""
        return replace(self, group_countries=choices.countries_of(self.groups))


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def from_query(query: Mapping[str, Sequence[str]], choices: Choices) -> Selection:
    """Build a selection from URL parameters; what cannot be used goes to `ignored`."""
    ignored: list[str] = []
    start, end = choices.first, choices.last
    for key in ("from", "to"):
        values = list(query.get(key, []))
        if not values:
            continue
        parsed = _date(values[-1])
        if parsed is None:
            ignored.append(f"{key}={values[-1][:40]}")
        elif key == "from":
            start = parsed
        else:
            end = parsed
    if start > end:
        ignored.append(f"from={start.isoformat()}>to={end.isoformat()}")
        start, end = choices.first, choices.last
    lists: dict[str, tuple[str, ...]] = {}
    for key, attr in LIST_KEYS.items():
        allowed = getattr(choices, attr)
        values = list(query.get(key, []))[:MAX_VALUES]
        kept = tuple(dict.fromkeys(v for v in values if v in allowed))
        ignored += [f"{key}={v[:40]}" for v in values if v not in allowed]
        lists[attr] = kept
    return Selection(start=start, end=end, ignored=tuple(ignored), **lists).with_groups(choices)
