"""Saved presentations ("decks"): a name, a stable slug for the link
(`/presenter?deck=<slug>`), and the view it shows as JSON — the selection's URL
parameters, the lens, the charts in slide order and the language.

Saving under a name whose slug exists replaces that deck and keeps its link. Every value
is checked on the way in and on the way out (a deck's spec becomes URL parameters):
unknown keys are dropped, never trusted. No streamlit here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import duckdb

from etl.access import MANAGERS, AccessDenied, Principal
from etl.db import DatabaseError

NAME_MAX = 80
SLUG_MAX = 60
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The selection's URL parameters (queries/selection.py): the only query keys a deck keeps.
QUERY_KEYS = ("from", "to", "group", "country", "city", "method", "theme", "format")
MAX_VALUES, MAX_VALUE_LENGTH, MAX_CHARTS = 200, 100, 20
LANGS = ("fr", "en")


@dataclass(frozen=True)
class Deck:
    slug: str
    name: str
    spec: dict
    updated_at: datetime | None = None


class DeckError(DatabaseError):
    """A deck that cannot be saved, explained in French and English."""


def slugify(name: str) -> str:
    """The link part of a name: accents dropped, lower case, words joined by "-", at
    most SLUG_MAX characters ("Bilan 2025 — Lyon & Grenoble" -> "bilan-2025-lyon-grenoble")."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
    return slug[:SLUG_MAX].rstrip("-")


def check_name(name: str) -> str:
    """The name, trimmed; DeckError when it is empty, too long, or has no letter or digit."""
    name = " ".join(str(name).split())
    if not name:
        raise DeckError("Donnez un nom à la présentation.", "Give the presentation a name.")
    if len(name) > NAME_MAX:
        raise DeckError(
            f"Ce nom est trop long ({len(name)} caractères) : {NAME_MAX} au plus.",
            f"This name is too long ({len(name)} characters): {NAME_MAX} at most.",
        )
    if not slugify(name):
        raise DeckError(
            "Le nom doit contenir au moins une lettre ou un chiffre (il sert à faire le lien).",
            "The name must hold at least one letter or digit (it makes the link).",
        )
    return name


def _strings(values, limit: int) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        return []
    return [v for v in values if isinstance(v, str) and 0 < len(v) <= MAX_VALUE_LENGTH][:limit]


def clean_spec(spec: dict) -> dict:
    """Only what a deck may hold: `query` (selection parameter -> list of strings),
    `lens` (text), `charts` (list of texts), `lang` ("fr" or "en"), `auto` (seconds,
    0 to 3600). Anything else is dropped."""
    spec = spec if isinstance(spec, dict) else {}
    query = spec.get("query") if isinstance(spec.get("query"), dict) else {}
    out = {"query": {k: v for k in QUERY_KEYS if (v := _strings(query.get(k), MAX_VALUES))}}
    if isinstance(spec.get("lens"), str) and re.fullmatch(r"[a-z0-9_]{1,40}", spec["lens"]):
        out["lens"] = spec["lens"]
    out["charts"] = [c for c in _strings(spec.get("charts"), MAX_CHARTS) if re.fullmatch(r"[a-z0-9_]{1,40}", c)]
    out["lang"] = spec.get("lang") if spec.get("lang") in LANGS else "fr"
    auto = spec.get("auto")
    out["auto"] = auto if isinstance(auto, int) and not isinstance(auto, bool) and 0 <= auto <= 3600 else 0
    return out


def save(
    con: duckdb.DuckDBPyConnection,
    name: str,
    spec: dict,
    by: Principal | None = None,
    now: datetime | None = None,
) -> Deck:
    """Save (or replace) the deck called `name`; returns it with its slug. `by` (None:
    the command line or a test) is recorded as its author; a deck saved by someone else
    may be replaced only by a coordinator or an administrator (AccessDenied)."""
    name = check_name(name)
    slug, spec, now = slugify(name), clean_spec(spec), now or datetime.now()
    user = by.login if by is not None else None
    may_replace = by is None or by.role in MANAGERS
    row = con.execute("SELECT created_by FROM decks WHERE slug = $slug", {"slug": slug}).fetchone()
    if row is not None and not may_replace and row[0] != user:
        raise AccessDenied(
            f"La présentation « {name} » a été enregistrée par quelqu'un d'autre : choisissez un autre nom, "
            "ou demandez à la coordination de la remplacer.",
            f"The presentation “{name}” was saved by someone else: choose another name, "
            "or ask the coordinators to replace it.",
        )
    # The WHERE repeats the check inside the statement, for a deck created in between.
    con.execute(
        """INSERT INTO decks (slug, name, spec, created_by, created_at, updated_by, updated_at)
           VALUES ($slug, $name, $spec, $user, $now, $user, $now)
           ON CONFLICT (slug) DO UPDATE SET name = excluded.name, spec = excluded.spec,
               updated_by = excluded.updated_by, updated_at = excluded.updated_at
           WHERE $may_replace OR decks.created_by IS NOT DISTINCT FROM excluded.created_by""",
        {
            "slug": slug,
            "name": name,
            "spec": json.dumps(spec, ensure_ascii=False),
            "user": user,
            "now": now,
            "may_replace": may_replace,
        },
    )
    return Deck(slug, name, spec, now)


def _deck(row: tuple) -> Deck:
    slug, name, spec, updated_at = row
    try:
        parsed = json.loads(spec)
    except ValueError:
        parsed = {}
    return Deck(slug, name, clean_spec(parsed), updated_at)


def get(con: duckdb.DuckDBPyConnection, slug: str) -> Deck | None:
    """The deck of a slug, or None (unknown slug, a slug that cannot exist, or a
    database that has no decks table yet)."""
    if not isinstance(slug, str) or len(slug) > SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
        return None
    try:
        row = con.execute(
            "SELECT slug, name, spec, updated_at FROM decks WHERE slug = $slug", {"slug": slug}
        ).fetchall()
    except duckdb.CatalogException:  # a database older than migration 004, opened read-only
        return None
    return _deck(row[0]) if row else None


def all_decks(con: duckdb.DuckDBPyConnection) -> list[Deck]:
    """Every saved deck, the most recently saved first."""
    try:
        rows = con.execute("SELECT slug, name, spec, updated_at FROM decks ORDER BY updated_at DESC, slug").fetchall()
    except duckdb.CatalogException:
        return []
    return [_deck(row) for row in rows]


def delete(con: duckdb.DuckDBPyConnection, slug: str) -> bool:
    """Delete a deck; False when there was none."""
    if get(con, slug) is None:
        return False
    con.execute("DELETE FROM decks WHERE slug = $slug", {"slug": slug})
    return True
