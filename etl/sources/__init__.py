"""Platform exports (Pabulib, Decidim, CONSUL) turned into contract rows.

Cities run their participation on a platform and download its export; this package
reads those exports as they are (detected from their content, never from their name),
one module per platform, and turns them into rows of the contract, each row knowing
where it came from (file, entity, line, id). The rows then take the ordinary path:
validation, upsert, history, rollback. A problem found on a row is reported against
the export's own line (`remap`).

Every module exposes `sniff(data) -> bool` and `read(data, name, options, cities) -> Export`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from etl.problems import Problem
from etl.schema import normalize_key

# The engagement level given by default to each kind of activity an export yields;
# changeable per participatory space (`SourceOptions.levels`, `--level` on the CLI).
DEFAULT_LEVELS = {
    "budget_participatif": "co_decision",
    "reunion_publique": "consultation",
    "consultation_en_ligne": "consultation",
}
PLATFORMS = {"pabulib": "Pabulib", "decidim": "Decidim", "consul": "CONSUL Democracy"}


@dataclass(frozen=True)
class Provenance:
    """Where a derived row comes from: the file (a ZIP member for a Decidim ZIP), the
    entity (META/PROJECTS/VOTES, meetings, proposals, projects, investments), the line
    of that file, and the platform's id of the thing (meeting id, space/component)."""

    file: str
    entity: str
    line: int | None = None
    ident: str | None = None
    # contract field -> the export's column that fed it (problems name the export's column)
    columns: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        where = f"{self.file} › {self.entity}"
        if self.line:
            where += f", l. {self.line}"
        if self.ident:
            where += f" ({self.ident})"
        return where


@dataclass
class Activity:
    """One derived contract row: field -> text value (ISO dates, plain integers)."""

    values: dict[str, str | None]
    provenance: Provenance
    space: str | None = None  # the participatory space (levels can be set per space)
    missing: list[str] = field(default_factory=list)  # required figures the export lacks
    # The export does not name its budget (CONSUL): the start year, once given, makes the
    # id tell two editions of the same heading apart.
    key_with_year: bool = False


@dataclass(frozen=True)
class SourceOptions:
    """What the export does not say: whose export it is, the levels, missing figures.

    `levels` maps "method" or "space:method" to a level; `figures` maps "field" or
    "id_activite:field" to a value; `channel` ("cli" or "page") decides how messages
    say what to do (an option of the command, or a control of the page)."""

    city: str | None = None
    levels: dict[str, str] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    channel: str = "cli"


@dataclass
class Export:
    """An export read: its activities and what it is, for the summary."""

    platform: str
    name: str
    activities: list[Activity] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # export-level warnings
    counts: dict[str, int] = field(default_factory=dict)  # entity -> rows read
    label: str = ""  # e.g. "Kraków 2024" (Pabulib)
    members: list[str] = field(default_factory=list)  # the files read (ZIP members)

    def summary(self, lang: str = "fr") -> str:
        """ "Fichier Pabulib : Kraków 2024, 119 projets, 65 101 votants" / "Decidim export, 3 files: …"."""
        from etl.sources.words import summary

        return summary(self, lang)


class ExportError(Exception):
    """The export cannot be turned into rows: carries every problem to report."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].code if problems else "export")
        self.problems = problems


def _modules():
    from etl.sources import consul, decidim, pabulib

    return {"pabulib": pabulib, "decidim": decidim, "consul": consul}


def detect(data: bytes) -> str | None:
    """The platform whose export `data` is ("pabulib", "decidim", "consul"), from its
    content; None for anything else (a contract CSV or XLSX)."""
    for platform, module in _modules().items():
        if module.sniff(data):
            return platform
    return None


def read_export(con, data: bytes, name: str, options: SourceOptions | None = None) -> Export:
    """Read an export into activities; raise ExportError (nothing to load) when it is
    not usable. Levels and figures from `options` are applied."""
    from etl.sources.cityref import CityRef

    options = options or SourceOptions()
    platform = detect(data)
    if platform is None:
        raise ValueError("not a platform export")
    export = _modules()[platform].read(data, name, options, CityRef.from_db(con))
    apply_options(export, options)
    return export


def apply_options(export: Export, options: SourceOptions) -> None:
    """Levels per kind (or per space and kind) and the figures given for missing ones."""
    for activity in export.activities:
        values = activity.values
        method = values.get("methode") or ""
        level = options.levels.get(f"{activity.space}:{method}") or options.levels.get(method)
        values["niveau_engagement"] = level or values.get("niveau_engagement") or DEFAULT_LEVELS.get(method)
        ident = values.get("id_activite") or ""
        for name in list(activity.missing):
            given = options.figures.get(f"{ident}:{name}") or options.figures.get(name)
            if given not in (None, ""):
                values[name] = str(given).strip()
                activity.missing.remove(name)
        if activity.key_with_year and (year := (iso_date(values.get("date_debut")) or "")[:4]) and ident:
            values["id_activite"] = f"{ident}-{year}"


# --- helpers shared by the platform modules ---------------------------------------


def slug(*parts: object) -> str:
    """A stable, readable id piece: "Poland", "Kraków", "2022" -> "poland-krakow-2022"."""
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    text = unicodedata.normalize("NFKD", text.translate(str.maketrans({"ł": "l", "Ł": "L"})))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def iso_date(text: str | None) -> str | None:
    """ISO date of "30.09.2022", "2023-05-10 18:30:00 +0200", "2023-05-10T18:30:00Z"."""
    text = (text or "").strip()
    if m := re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text):
        y, mo, d = map(int, m.groups())
    elif m := re.match(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$", text):
        d, mo, y = map(int, m.groups())
    else:
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def plain_int(text: object) -> str | None:
    """ "1074", "1074.0", " 12 " -> "1074"; anything else -> None."""
    text = str(text if text is not None else "").strip()
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return str(int(float(text))) if "." in text else str(int(text))
    return None


def key_of(text: str) -> str:
    return normalize_key(text)


__all__ = [
    "Activity",
    "DEFAULT_LEVELS",
    "Export",
    "ExportError",
    "Provenance",
    "SourceOptions",
    "detect",
    "read_export",
]
