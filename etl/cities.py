"""The reference list of cities: coordinators add to it (CLI `cities add`, or a page)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from etl.accounts import Principal, check_can_manage, check_demo_database
from etl.db import DatabaseError
from etl.validate import Cities


@dataclass(frozen=True)
class NewCity:
    code: str
    name: str
    country: str  # ISO 3166-1 alpha-2
    population: int
    year: int
    source: str
    lat: float
    lon: float
    perimeter: str = "Ville"
    alias: Iterable[str] = field(default_factory=tuple)


def add_city(con, city: NewCity, *, user: str | None = None, principal: Principal | None = None) -> None:
    """Add a reference city; its code, name and aliases must not designate a known one.
    With a principal, only coordinators and admins may (None: the command-line operator)."""
    check_can_manage(principal)
    check_demo_database(con, principal)
    aliases = list(city.alias)
    known = Cities.from_db(con)
    if city.code in known.names:
        raise DatabaseError(
            f"Le code « {city.code} » est déjà celui de {known.names[city.code]}.",
            f'The code "{city.code}" already belongs to {known.names[city.code]}.',
        )
    for name in [city.name, city.code, *aliases]:
        if known.resolve(name):
            raise DatabaseError(
                f"« {name} » désigne déjà une ville de la liste.",
                f'"{name}" already designates a city of the list.',
            )
    values = [city.code, city.name, city.country.upper(), city.population, city.year, city.source, city.perimeter]
    values += [city.lat, city.lon, aliases, user or (principal.login if principal else None)]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            """INSERT INTO cities (code, nom, pays, population, annee_population, source_population, perimetre,
                                   latitude, longitude, alias, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            values,
        )
        con.execute("INSERT INTO data_events VALUES (nextval('event_id_seq'), NULL, 'city', ?)", [datetime.now()])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
