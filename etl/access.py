"""Roles, who is acting (`Principal`), and the checks the write side makes before it
writes or shows a load.

Four roles: a viewer only reads dashboards; a city editor uploads, sees the history and
rolls back for its own cities; a coordinator does so for every city and manages the
reference cities and the accounts; an admin also manages the admins. The checks live
here and are called by etl/load.py, etl/archive.py, etl/cities.py, etl/structure.py and
service/, so that a page that forgets one, or a script that calls the load function
directly, is still refused. The accounts themselves (passwords, sign-in) are
service/accounts.py.

A `Principal` of None everywhere means the command-line operator, who is trusted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from etl.db import DatabaseError

ROLES = ("viewer", "editor", "coordinator", "admin")
MANAGERS = ("coordinator", "admin")
ROLE_NAMES = {
    "viewer": ("lecteur", "viewer"),
    "editor": ("éditeur de ville", "city editor"),
    "coordinator": ("coordination", "coordinator"),
    "admin": ("administrateur", "admin"),
}


class AccessDenied(DatabaseError):
    """The principal may not do this; the message says what is refused and what to do."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in account, a demo persona, or (None elsewhere) the CLI."""

    login: str
    role: str
    cities: frozenset[str] = frozenset()
    demo: bool = False  # demo mode: may write only to a database that holds only demo loads
    display_name: str | None = None
    # The account's version when this principal was read (migration 012): a session whose
    # version is no longer the account's is signed out. Not part of equality.
    version: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; expected one of {ROLES}")
        object.__setattr__(self, "cities", frozenset(self.cities))  # accept any iterable of codes

    @property
    def writable_cities(self) -> frozenset[str] | None:
        """The cities this principal may load or roll back; None means every city."""
        if self.role in MANAGERS:
            return None
        return self.cities if self.role == "editor" else frozenset()

    def can_upload(self) -> bool:
        return self.role in MANAGERS or (self.role == "editor" and bool(self.cities))

    def can_manage(self) -> bool:
        """Reference cities and accounts."""
        return self.role in MANAGERS

    def may_write(self, cities: Iterable[str]) -> bool:
        """May load into, or roll back a load of, every one of `cities`."""
        if not self.can_upload():
            return False
        writable = self.writable_cities
        return writable is None or set(cities) <= writable


# --- checks used by the data layer ---------------------------------------------------


def visible_cities(principal: Principal | None) -> frozenset[str] | None:
    """The cities whose loads (history, original files) `principal` may see; None = all.
    Viewers see dashboards only."""
    if principal is None or principal.role in MANAGERS:
        return None
    if principal.role == "viewer":
        raise AccessDenied(
            "Le compte lecteur donne accès aux tableaux de bord seulement, pas aux chargements. "
            "Demandez à la coordination un compte d'éditeur pour votre ville.",
            "A viewer account gives access to the dashboards only, not to the loads. "
            "Ask the coordinators for a city editor account.",
        )
    return principal.cities


def check_can_upload(principal: Principal | None) -> None:
    if principal is not None and not principal.can_upload():
        raise AccessDenied(
            "Votre compte ne permet pas de déposer des données. Demandez à la coordination "
            "un compte d'éditeur rattaché à votre ville.",
            "Your account may not upload data. Ask the coordinators for a city editor account linked to your city.",
        )


def check_may_write(principal: Principal | None, cities: Iterable[str], *, action_fr: str, action_en: str) -> None:
    """Refuse unless `principal` may write every city of `cities`."""
    cities = sorted(set(cities))
    if principal is None or principal.may_write(cities):
        return
    outside = sorted(set(cities) - (principal.writable_cities or set())) or cities
    raise AccessDenied(
        f"Vous ne pouvez pas {action_fr} : il concerne des villes hors de vos droits ({', '.join(outside)}). "
        "Demandez à la coordination de le faire, ou les droits sur ces villes.",
        f"You may not {action_en}: it concerns cities outside your rights ({', '.join(outside)}). "
        "Ask the coordinators to do it, or for rights on these cities.",
    )


def check_demo_database(con, principal: Principal | None) -> None:
    """Demo mode never writes real data: refuse when the database holds a real load."""
    if principal is None or not principal.demo:
        return
    (real,) = con.execute("SELECT count(*) FROM loads WHERE status = 'loaded' AND NOT is_demo").fetchone()
    if real:
        raise AccessDenied(
            f"Mode démonstration : cette base contient de vraies données ({real} chargement(s)), "
            "le mode démo n'y écrit rien. Lancez la démo sur sa propre base (make run), "
            "ou désactivez ENGAGEMENT_DEMO et connectez-vous.",
            f"Demo mode: this database holds real data ({real} load(s)), and demo mode writes nothing to it. "
            "Run the demo on its own database (make run), or turn ENGAGEMENT_DEMO off and sign in.",
        )


def check_can_manage(principal: Principal | None, *, target_role: str | None = None) -> None:
    """Coordinators and admins manage accounts and cities; only admins touch admins."""
    if principal is None:
        return
    if not principal.can_manage():
        raise AccessDenied(
            "Seules la coordination et les administrateurs gèrent les comptes et la liste des villes. "
            "Adressez-leur votre demande.",
            "Only coordinators and admins manage the accounts and the city list. Send them your request.",
        )
    if target_role == "admin" and principal.role != "admin":
        raise AccessDenied(
            "Seul un administrateur peut créer ou modifier un compte administrateur.",
            "Only an admin may create or change an admin account.",
        )
