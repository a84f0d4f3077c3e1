"""Recompute the populations of the nine French mission cities from INSEE files.

Maintainer tool, not imported by the application. Standard library only.

Usage:
    python data/build_cities.py /work/shared/data   # folder holding insee/
    python data/build_cities.py /path/to/insee      # or the insee folder itself
    python data/build_cities.py /work/shared/data --check data/cities.csv

Inputs (INSEE, Licence Ouverte / Etalab, "Source : Insee"):
    EPCI_au_01-01-2024~EPCI.csv                   list of EPCI (code, name, nature)
    EPCI_au_01-01-2024~Composition_communale.csv  commune -> EPCI membership
    ensemble_2025~Communes.csv                    legal populations in force on
                                                  1 Jan 2025 (census 2022)

Rule: population = sum of "Population municipale" over the communes of the
perimeter. Paris, Lyon and Marseille only appear as municipal arrondissements
in the population file, so a commune's population is the sum of its
arrondissements (and an EPCI containing one of them gets that sum).

Output: one line per city, ``code;nom;population;annee;perimetre`` (the
values written to data/cities.csv), plus a check against the expected values.
With ``--check CSV`` the French rows of cities.csv are compared too; the exit
status is non-zero on any mismatch.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

EPCI_FILE = "EPCI_au_01-01-2024~EPCI.csv"
COMPOSITION_FILE = "EPCI_au_01-01-2024~Composition_communale.csv"
POPULATION_FILE = "ensemble_2025~Communes.csv"

YEAR = 2022  # statistical reference date of the 2025 legal populations
SOURCE = "INSEE, populations légales 2022 (en vigueur au 1er janvier 2025)"

# Communes with municipal arrondissements: commune code -> arrondissement codes.
ARRONDISSEMENTS = {
    "75056": [f"751{i:02d}" for i in range(1, 21)],  # Paris, 20
    "69123": [f"6938{i}" for i in range(1, 10)],  # Lyon, 9
    "13055": [f"132{i:02d}" for i in range(1, 17)],  # Marseille, 16
}

# (kind, INSEE code, reference name, expected population or None)
CITIES = [
    ("epci", "244900015", "Angers Loire Métropole", 308_806),
    ("epci", "243300316", "Bordeaux", 843_738),
    ("epci", "242100410", "Dijon Métropole", 258_630),
    ("epci", "245900428", "Dunkerque", 192_635),
    ("epci", "200040715", "Grenoble-Alpes Métropole", 449_509),
    ("commune", "69123", "Lyon", None),
    ("commune", "13055", "Marseille", None),
    ("epci", "244400404", "Nantes", 683_981),
    ("commune", "75056", "Paris", None),
]


def read_insee_csv(path: Path) -> list[dict[str, str]]:
    """Read an INSEE CSV export: skip the leading '#' lines, ';' separator."""
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def to_int(text: str) -> int:
    """'15 554' (NO-BREAK SPACE thousands separator) -> 15554."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    return int(cleaned)


def commune_code(dep: str, com: str) -> str:
    """Rebuild the 5-character INSEE commune code from its two columns.

    Metropolitan: '01' + '001' -> '01001'; Corsica: '2A' + '004' -> '2A004';
    overseas: '971' + '101' -> '97101'.
    """
    return dep + com if len(dep) == 2 else dep[:2] + com


def load(folder: Path):
    insee = folder / "insee" if (folder / "insee" / POPULATION_FILE).exists() else folder
    epci_names = {r["EPCI"]: r["LIBEPCI"] for r in read_insee_csv(insee / EPCI_FILE)}
    members: dict[str, list[str]] = {}
    commune_names: dict[str, str] = {}
    for r in read_insee_csv(insee / COMPOSITION_FILE):
        members.setdefault(r["EPCI"], []).append(r["CODGEO"])
        commune_names[r["CODGEO"]] = r["LIBGEO"]
    pop: dict[str, int] = {}
    for r in read_insee_csv(insee / POPULATION_FILE):
        code = commune_code(r["Code département"], r["Code commune"])
        if code in pop:
            raise ValueError(f"duplicate commune code {code}")
        pop[code] = to_int(r["Population municipale"])
    return epci_names, members, commune_names, pop


def commune_population(code: str, pop: dict[str, int]) -> int:
    if code in ARRONDISSEMENTS:
        if code in pop:
            raise ValueError(f"{code} present both as commune and as arrondissements")
        return sum(pop[a] for a in ARRONDISSEMENTS[code])  # KeyError if one is missing
    return pop[code]


def compute(folder: Path) -> list[dict[str, object]]:
    epci_names, members, commune_names, pop = load(folder)
    rows = []
    for kind, code, nom, expected in CITIES:
        if kind == "epci":
            communes = members[code]
            missing = [c for c in communes if c not in pop and c not in ARRONDISSEMENTS]
            if missing:
                raise ValueError(f"EPCI {code}: no population for {missing}")
            population = sum(commune_population(c, pop) for c in communes)
            label = epci_names[code].replace("Communauté urbaine ", "CU ", 1)
            perimetre = f"EPCI {code} {label} ({len(communes)} communes)"
        else:
            population = commune_population(code, pop)
            n = len(ARRONDISSEMENTS[code])
            perimetre = f"Commune (somme des {n} arrondissements)"
            if commune_names.get(code) != nom:
                raise ValueError(f"{code}: COG name {commune_names.get(code)!r}")
        rows.append(
            {
                "code": code,
                "nom": nom,
                "population": population,
                "annee_population": YEAR,
                "source_population": SOURCE,
                "perimetre": perimetre,
                "expected": expected,
            }
        )
    return rows


def check_csv(path: Path, rows: list[dict[str, object]]) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        by_code = {r["code"]: r for r in csv.DictReader(f)}
    errors = []
    for row in rows:
        got = by_code.get(str(row["code"]))
        if got is None:
            errors.append(f"{row['code']} {row['nom']}: missing from {path}")
            continue
        for key in (
            "nom",
            "population",
            "annee_population",
            "source_population",
            "perimetre",
        ):
            if got[key] != str(row[key]):
                errors.append(f"{row['code']} {key}: csv {got[key]!r} != computed {row[key]!r}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder containing the INSEE files (or its parent)")
    parser.add_argument("--check", type=Path, metavar="CSV", help="compare with data/cities.csv")
    args = parser.parse_args()

    rows = compute(args.folder)
    errors = []
    print(f"# {SOURCE}; population municipale")
    print("code;nom;population;annee;perimetre")
    for row in rows:
        keys = ("code", "nom", "population", "annee_population", "perimetre")
        print(";".join(str(row[k]) for k in keys))
        if row["expected"] is not None and row["population"] != row["expected"]:
            got, want = row["population"], row["expected"]
            errors.append(f"{row['code']} {row['nom']}: {got} != expected {want}")
    if args.check:
        errors += check_csv(args.check, rows)
    for e in errors:
        print("ERROR:", e, file=sys.stderr)
    print("# OK" if not errors else f"# {len(errors)} error(s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
