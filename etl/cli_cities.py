"""`python -m etl cities list` and `cities add`: the reference list of cities.

Registered by etl/cli.py; exit codes are the CLI's (0 done, 1 refused: DatabaseError).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from etl.cities import GROUPS, NewCity, add_city
from etl.db import writing
from etl.paths import database_path
from etl.structure import load_structure

WORDS = {
    "fr": {
        "columns": ["code", "nom", "nom local", "pays", "groupe", "mission", "population", "année", "source"],
        "groups": {"EU": "UE", "associated": "associé"},
        "yes": "oui",
        "no": "non",
        "unknown": "inconnue",
        "none": "aucune",
        "summary": "{members} villes de la mission ({eu} dans l'UE, {associated} dans des pays associés)",
        "outside": " ; {n} hors mission : {names}",
        "added": "✔ {name} ({code}) ajoutée, {where}.",
        "in": "dans la mission",
        "out": "hors mission",
    },
    "en": {
        "columns": ["code", "name", "local name", "country", "group", "mission", "population", "year", "source"],
        "groups": {"EU": "EU", "associated": "associated"},
        "yes": "yes",
        "no": "no",
        "unknown": "unknown",
        "none": "none",
        "summary": "{members} mission cities ({eu} in the EU, {associated} in associated countries)",
        "outside": "; {n} outside the mission: {names}",
        "added": "✔ {name} ({code}) added, {where}.",
        "in": "in the mission",
        "out": "outside the mission",
    },
}
LIST_SQL = """SELECT code, coalesce(CASE WHEN $lang = 'en' THEN nom_en ELSE nom_fr END, nom) AS name, nom,
                     pays, groupe, coalesce(mission, false) AS mission, population, annee_population,
                     source_population
              FROM cities
              ORDER BY NOT coalesce(mission, false), pays, code"""


def add_cities_parser(sub, with_db) -> None:
    """The `cities` command and its sub-commands, on the CLI's sub-parsers."""
    s = sub.add_parser("cities", help="villes de référence / reference cities")
    csub = s.add_subparsers(dest="cities_command", required=True, parser_class=type(s))
    listing = with_db(csub.add_parser("list", help="lister, avec l'appartenance à la mission / list, with membership"))
    listing.add_argument("--csv", action="store_true", help="toutes les colonnes en CSV / every column as CSV")
    a = with_db(csub.add_parser("add", help="ajouter une ville / add a city"))
    a.add_argument("--code", required=True)
    a.add_argument("--name", required=True, help="nom local / local name")
    a.add_argument("--name-fr", default=None, help="nom en français s'il diffère / French name if it differs")
    a.add_argument("--name-en", default=None, help="nom en anglais s'il diffère / English name if it differs")
    a.add_argument("--country", required=True, help="ISO 3166-1 alpha-2")
    a.add_argument("--group", choices=GROUPS, default=None, help="UE ou pays associé / EU or associated country")
    a.add_argument("--mission", action="store_true", help="ville de la mission / a mission city")
    a.add_argument("--population", type=int, default=None, help="omise si inconnue / left out when unknown")
    a.add_argument("--year", type=int, default=None, help="année de la population / year of the population")
    a.add_argument("--source", default=None, help="source de la population / source of the population")
    a.add_argument("--perimeter", default="Ville", help="territoire compté / territory counted")
    a.add_argument("--remark", default=None, help="remarque (p. ex. pourquoi pas de population) / remark")
    a.add_argument("--lat", type=float, required=True)
    a.add_argument("--lon", type=float, required=True)
    a.add_argument("--alias", action="append", default=[])
    a.add_argument("--user", default=None)
    st = with_db(
        csub.add_parser(
            "structure",
            help="charger la structure de la population (part de femmes, de moins de 25 ans) / load the population structure",
        )
    )
    st.add_argument("file", type=Path)
    st.add_argument("--user", default=None)


def _list(con, lang: str, as_csv: bool) -> None:
    if as_csv:
        frame = con.execute("SELECT * EXCLUDE (added_at) FROM cities ORDER BY code").df()
        frame["alias"] = frame["alias"].map("|".join)
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    w = WORDS[lang]
    frame = con.execute(LIST_SQL, {"lang": lang}).df()
    shown = frame.assign(
        groupe=frame["groupe"].map(lambda g: w["groups"].get(g, "—")),
        mission=frame["mission"].map({True: w["yes"], False: w["no"]}),
        population=[w["none"] if pd.isna(p) else f"{int(p):,}".replace(",", "\u202f") for p in frame["population"]],
        annee_population=[w["unknown"] if pd.isna(y) else str(int(y)) for y in frame["annee_population"]],
        source_population=frame["source_population"].fillna("—").str.slice(0, 40),
    )
    shown.columns = w["columns"]
    print(shown.to_string(index=False))
    members = frame[frame["mission"]]
    counts = members["groupe"].value_counts()
    line = w["summary"].format(members=len(members), eu=counts.get("EU", 0), associated=counts.get("associated", 0))
    outside = frame[~frame["mission"]]
    if len(outside):
        line += w["outside"].format(n=len(outside), names=", ".join(outside["name"]))
    print(line + ".")


def _structure(con, args, user: str) -> int:
    """`cities structure FILE`: every problem with its line, or the cities updated."""
    report = load_structure(con, args.file.read_bytes(), user=user)
    if not report.ok:
        for p in report.problems:
            where = f"{args.file.name}:{p.line}" if p.line else args.file.name
            column = f" [{p.column}]" if p.column else ""
            print(f"✘ {where}{column} {p.fr if args.lang == 'fr' else p.en}", file=sys.stderr)
        print(
            "  Rien n'a été écrit. / Nothing was written." if args.lang == "fr" else "  Nothing was written.",
            file=sys.stderr,
        )
        return 1
    n = len(report.rows)
    print(
        f"✔ Structure de la population chargée pour {n} ville(s) ({args.file.name})."
        if args.lang == "fr"
        else f"✔ Population structure loaded for {n} city(ies) ({args.file.name})."
    )
    return 0


def cmd_cities(args, user: str) -> int:
    with writing(database_path(args.db)) as con:
        if args.cities_command == "list":
            _list(con, args.lang, args.csv)
            return 0
        if args.cities_command == "structure":
            return _structure(con, args, user)
        city = NewCity(
            args.code,
            args.name,
            args.country,
            args.population,
            args.year,
            args.source,
            args.lat,
            args.lon,
            perimeter=args.perimeter,
            alias=args.alias,
            name_fr=args.name_fr,
            name_en=args.name_en,
            group=args.group,
            member=args.mission,
            remark=args.remark,
        )
        add_city(con, city, user=user)
        w = WORDS[args.lang]
        print(w["added"].format(name=args.name, code=args.code, where=w["in" if args.mission else "out"]))
        return 0
