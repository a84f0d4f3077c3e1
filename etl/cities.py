"""The reference list of cities: coordinators add to it (CLI `cities add`, or the Administration page)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from etl.access import Principal, check_can_manage, check_demo_database
from etl.db import DatabaseError
from etl.validate import Cities

GROUPS = ("EU", "associated")  # EU member state, or country associated with Horizon Europe


@dataclass(frozen=True)
class NewCity:
    """A city a coordinator adds. It is outside the mission unless `member` says otherwise
    (the reference list holds the mission's cities); without a population (None), figures
    per 10,000 inhabitants show "—" with `remark` as the reason."""

    code: str
    name: str  # the local name
    country: str  # ISO 3166-1 alpha-2
    population: int | None
    year: int | None
    source: str | None
    lat: float
    lon: float
    perimeter: str = "Ville"
    alias: Iterable[str] = field(default_factory=tuple)
    name_fr: str | None = None
    name_en: str | None = None
    group: str | None = None
    member: bool = False
    remark: str | None = None


def _check(city: NewCity) -> None:
    if city.group is not None and city.group not in GROUPS:
        raise DatabaseError(
            f"Groupe inconnu : « {city.group} ». Indiquez EU (État membre de l'UE) ou associated (pays associé).",
            f'Unknown group: "{city.group}". Give EU (EU member state) or associated (associated country).',
        )
    if city.population is None:
        if city.year is not None:
            raise DatabaseError(
                "Une année de population sans population : indiquez la population, ou retirez l'année.",
                "A population year without a population: give the population, or remove the year.",
            )
        return
    if city.population <= 0 or not (city.source or "").strip():
        raise DatabaseError(
            "Une population doit être positive et avoir sa source (--source). Sans chiffre, omettez --population "
            "et dites pourquoi (--remark).",
            "A population must be positive and have its source (--source). Without a figure, leave out "
            "--population and say why (--remark).",
        )


def add_city(con, city: NewCity, *, user: str | None = None, principal: Principal | None = None) -> None:
    """Add a reference city; its code, name and aliases must not designate a known one.
    With a principal, only coordinators and admins may (None: the command-line operator)."""
    check_can_manage(principal)
    check_demo_database(con, principal)
    _check(city)
    aliases = list(city.alias)
    known = Cities.from_db(con)
    if city.code in known.names:
        raise DatabaseError(
            f"Le code « {city.code} » est déjà celui de {known.names[city.code]}.",
            f'The code "{city.code}" already belongs to {known.names[city.code]}.',
        )
    for name in [city.name, city.code, city.name_fr, city.name_en, *aliases]:
        if name and known.resolve(name):
            raise DatabaseError(
                f"« {name} » désigne déjà une ville de la liste.",
                f'"{name}" already designates a city of the list.',
            )
    values = {
        "code": city.code,
        "nom": city.name,
        "nom_fr": city.name_fr or None,
        "nom_en": city.name_en or None,
        "pays": city.country.upper(),
        "groupe": city.group,
        "mission": city.member,
        "population": city.population,
        "annee_population": city.year,
        "source_population": city.source or None,
        "perimetre": city.perimeter,
        "latitude": city.lat,
        "longitude": city.lon,
        "alias": aliases,
        "remarque": city.remark or None,
        "added_by": user or (principal.login if principal else None),
    }
    columns = ", ".join(values)  # names from the dict above, values bound
    marks = ", ".join("?" for _ in values)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"INSERT INTO cities ({columns}) VALUES ({marks})", list(values.values()))
        con.execute("INSERT INTO data_events VALUES (nextval('event_id_seq'), NULL, 'city', ?)", [datetime.now()])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
