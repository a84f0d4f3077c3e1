"""How a city is named on screen: in the page's language (Lisbonne in French, Lisbon in
English), with its local name beside it (Lisboa) where it differs. Pure: no streamlit.

The names come from the database (queries/sql/reference_cities.sql chooses the name of a
language; data/cities.csv holds them); this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from charts.format import beside
from etl.schema import normalize_key

GROUPS = ("EU", "associated")
GROUP_LABELS = {
    "fr": {"EU": "États de l'UE", "associated": "Pays associés"},  # to Horizon Europe: the filter's help says so
    "en": {"EU": "EU member states", "associated": "Associated countries"},
}


def group_label(group: str, lang: str) -> str:
    return GROUP_LABELS[lang].get(group, group)


@dataclass(frozen=True)
class ReferenceCity:
    code: str
    local: str
    fr: str
    en: str
    country: str
    group: str | None
    member: bool

    def name(self, lang: str) -> str:
        """The name in `lang` (the local one when there is none)."""
        return (self.en if lang == "en" else self.fr) or self.local

    def label(self, lang: str) -> str:
        """The name in `lang` with the local name beside it when it differs:
        "Lisbonne · Lisboa", "Lyon"."""
        return beside(self.name(lang), self.local)


def by_code(rows: Iterable[ReferenceCity]) -> dict[str, ReferenceCity]:
    return {city.code: city for city in rows}


def sort_key(name: str) -> str:
    """Names in alphabetical order as a reader expects it: "Łódź" with the L, "Île…" with the I."""
    return normalize_key(name)


def names(cities: Mapping[str, ReferenceCity], lang: str) -> dict[str, str]:
    """code -> name in `lang`, in alphabetical order of the names."""
    pairs = sorted(((code, city.name(lang)) for code, city in cities.items()), key=lambda p: sort_key(p[1]))
    return dict(pairs)


def labels(cities: Mapping[str, ReferenceCity], lang: str) -> dict[str, str]:
    """code -> "name · local name" in `lang`, in alphabetical order of the names."""
    return {code: cities[code].label(lang) for code in names(cities, lang)}
