"""The population structure of the cities (share of women, share of under-25s, with the
year and the source of the figures), against which the participants are compared
(representativeness, issue 17). Loaded by a coordinator from a CSV file:

    ville;part_femmes;part_moins_25_ans;annee;source
    Lyon;52,4;31,0;2021;INSEE, recensement 2021

`ville` is a code, a name or an alias of the reference list; the shares are percentages
(`51,8`, `51.8` or `51,8 %`), one of the two may be empty; headers may be in English
(`city`, `women_share`, `under_25_share`, `year`, `source`). Every problem of the file is
reported at once, with its line and how to fix it; a file with any problem writes
nothing. A city's row replaces the one it had.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from etl.access import Principal, check_can_manage
from etl.schema import normalize_key
from etl.validate import Cities

COLUMNS = {  # canonical name -> accepted headers (normalised)
    "ville": {"ville", "city", "code", "codeville", "citycode", "commune"},
    "part_femmes": {"partfemmes", "femmes", "partdesfemmes", "womenshare", "women", "shareofwomen"},
    "part_moins_25_ans": {
        "partmoins25ans",
        "moins25ans",
        "partmoinsde25ans",
        "under25share",
        "under25",
        "shareunder25",
    },
    "annee": {"annee", "year", "anneedesdonnees"},
    "source": {"source", "sources"},
}
REQUIRED = ("ville", "annee", "source")
DEMO_FILE = Path(__file__).resolve().parent.parent / "data" / "population_structure_demo.csv"


@dataclass
class StructureProblem:
    line: int | None
    column: str | None
    fr: str
    en: str


@dataclass
class StructureReport:
    rows: list[tuple] = field(default_factory=list)  # (code, women, under_25, year, source)
    problems: list[StructureProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _share(text: str) -> float | None:
    """'51,8', '51.8' or '51,8 %' -> 0.518; '' -> None; raises ValueError otherwise."""
    text = text.strip().replace("\u00a0", "").replace(" ", "").rstrip("%").replace(",", ".")
    if not text:
        return None
    value = float(text)
    if not 0 <= value <= 100:
        raise ValueError(text)
    return value / 100


def read_structure(con, data: bytes) -> StructureReport:
    """Check a structure file against the reference cities; nothing is written."""
    report = StructureReport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    lines = [ln for ln in text.splitlines()]
    if not any(ln.strip() for ln in lines):
        report.problems.append(StructureProblem(None, None, "Le fichier est vide.", "The file is empty."))
        return report
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        for canonical, accepted in COLUMNS.items():
            if normalize_key(name) in accepted:
                positions.setdefault(canonical, i)
    missing = [c for c in REQUIRED if c not in positions]
    if "part_femmes" not in positions and "part_moins_25_ans" not in positions:
        missing.append("part_femmes / part_moins_25_ans")
    if missing:
        names = ", ".join(missing)
        report.problems.append(
            StructureProblem(
                1,
                names,
                f"Colonne(s) absente(s) : {names}. L'en-tête attendu est : ville;part_femmes;part_moins_25_ans;annee;source.",
                f"Missing column(s): {names}. The expected header is: ville;part_femmes;part_moins_25_ans;annee;source.",
            )
        )
        return report
    cities = Cities.from_db(con)
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        cell = {name: (cells[i].strip() if i < len(cells) else "") for name, i in positions.items()}
        report.problems += _check_row(line, cell, cities, seen)
        if not report.problems:
            report.rows.append(
                (
                    cities.resolve(cell["ville"]),
                    _share(cell.get("part_femmes", "")),
                    _share(cell.get("part_moins_25_ans", "")),
                    int(cell["annee"]),
                    cell["source"],
                )
            )
    if not report.rows and not report.problems:
        report.problems.append(
            StructureProblem(None, None, "Le fichier n'a aucune ligne de données.", "The file has no data line.")
        )
    return report


def _check_row(line: int, cell: dict, cities: Cities, seen: dict) -> list[StructureProblem]:
    out = []
    code = cities.resolve(cell["ville"]) if cell["ville"] else None
    if code is None:
        near = difflib.get_close_matches(normalize_key(cell["ville"]), list(cities.by_key), n=1, cutoff=0.75)
        hint = cities.names[cities.by_key[near[0]]] if near else None
        out.append(
            StructureProblem(
                line,
                "ville",
                f"Ville inconnue : « {cell['ville']} ».{f' Vouliez-vous dire « {hint} » ?' if hint else ''} "
                "Utilisez un code ou un nom de « python -m etl cities list ».",
                f'Unknown city: "{cell["ville"]}".{f" Did you mean “{hint}”?" if hint else ""} '
                'Use a code or a name from "python -m etl cities list".',
            )
        )
    elif code in seen:
        out.append(
            StructureProblem(
                line,
                "ville",
                f"Cette ville est déjà à la ligne {seen[code]}. Gardez une seule ligne par ville.",
                f"This city is already on line {seen[code]}. Keep one line per city.",
            )
        )
    else:
        seen[code] = line
    shares = []
    for name in ("part_femmes", "part_moins_25_ans"):
        try:
            shares.append(_share(cell.get(name, "")))
        except ValueError:
            out.append(
                StructureProblem(
                    line,
                    name,
                    f"« {cell[name]} » n'est pas un pourcentage entre 0 et 100. Écrivez par exemple 51,8.",
                    f'"{cell[name]}" is not a percentage between 0 and 100. Write for example 51.8.',
                )
            )
            shares.append(0.0)
    if shares == [None, None]:
        out.append(
            StructureProblem(
                line,
                "part_femmes",
                "Ni la part des femmes ni celle des moins de 25 ans n'est renseignée. Renseignez au moins l'une des deux.",
                "Neither the share of women nor that of under-25s is given. Fill in at least one of them.",
            )
        )
    year = cell["annee"]
    if not (year.isdigit() and 1990 <= int(year) <= date.today().year):
        out.append(
            StructureProblem(
                line,
                "annee",
                f"« {year} » n'est pas une année entre 1990 et {date.today().year}. Écrivez l'année des chiffres, par exemple 2021.",
                f'"{year}" is not a year between 1990 and {date.today().year}. Write the year of the figures, for example 2021.',
            )
        )
    if not cell["source"]:
        out.append(
            StructureProblem(
                line,
                "source",
                "La source est vide. Nommez d'où viennent les chiffres (par exemple « INSEE, recensement 2021 »).",
                'The source is empty. Name where the figures come from (for example "Eurostat, census 2021").',
            )
        )
    return out


def load_structure(
    con, data: bytes, *, user: str | None = None, demo: bool = False, principal: Principal | None = None
) -> StructureReport:
    """Check the file, then replace the cities' rows in one transaction (nothing written
    when the file has any problem). With a principal, coordinators only (None: the
    command-line operator)."""
    check_can_manage(principal)
    report = read_structure(con, data)
    if not report.ok:
        return report
    now = datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        con.executemany(
            "INSERT OR REPLACE INTO city_structure VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row, demo, user, now) for row in report.rows],
        )
        con.execute("INSERT INTO data_events VALUES (nextval('event_id_seq'), NULL, 'city', ?)", [now])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return report
