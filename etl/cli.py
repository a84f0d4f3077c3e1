"""`python -m etl ...`: load, validate, template, export, history, rollback, demo, cities.

Exit codes: 0 success, 1 a file was rejected or the operation was refused, 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb
from tqdm import tqdm

from etl.cli_cities import add_cities_parser
from etl.cli_cities import cmd_cities as cities_command
from etl.cli_figures import add_figures_parser, cmd_figures
from etl.cli_ops import add_ops_parsers, cmd_backup, cmd_migrate, cmd_restore
from etl.cli_report import add_report_parser, cmd_report
from etl.cli_users import add_users_parser, cmd_users
from etl.db import DatabaseError, explain, is_database_fault, reading, writing
from etl.load import FileReport, check_file, history, load_file, rollback
from etl.paths import database_path
from etl.problems import Problem
from etl.sources import SourceOptions
from etl.templates import write_template
from etl.writers import export

WORDS = {
    "fr": {
        "loaded": "chargé",
        "rejected": "rejeté — rien n'a été écrit",
        "already-loaded": "déjà chargé",
        "valid": "valide",
        "rows": "lignes lues",
        "activities": "activités tirées de l'export",
        "inserted": "insérées",
        "updated": "mises à jour",
        "unchanged": "inchangées",
        "blank": "vides",
        "line": "ligne",
        "errors": "erreurs",
        "warnings": "avertissements",
        "more": "… et {n} autres problèmes (voir --json)",
        "on": "le",
        "load": "chargement",
    },
    "en": {
        "loaded": "loaded",
        "rejected": "rejected — nothing was written",
        "already-loaded": "already loaded",
        "valid": "valid",
        "rows": "rows read",
        "activities": "activities derived from the export",
        "inserted": "inserted",
        "updated": "updated",
        "unchanged": "unchanged",
        "blank": "blank",
        "line": "line",
        "errors": "errors",
        "warnings": "warnings",
        "more": "… and {n} more problems (see --json)",
        "on": "on",
        "load": "load",
    },
}
MAX_PRINTED = 50


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: exit 2, with the usage line
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: erreur / error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m etl",
        description="Données de participation des villes de la mission / Mission cities' participation data.",
    )
    p.add_argument("--lang", choices=["fr", "en"], default="fr", help="langue des messages / message language")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def with_db(sp):
        sp.add_argument(
            "--db", help="fichier DuckDB / DuckDB file (défaut/default: $ENGAGEMENT_DB ou data/engagement.duckdb)"
        )
        return sp

    s = with_db(sub.add_parser("load", help="valider et charger des fichiers / validate and load files"))
    s.add_argument("files", nargs="+", type=Path)
    s.add_argument("--user", default=None, help="auteur du chargement / who loads (défaut : utilisateur système)")
    add_source_options(s)
    s = with_db(sub.add_parser("validate", help="valider sans rien écrire / validate, write nothing"))
    s.add_argument("files", nargs="+", type=Path)
    s.add_argument("--json", action="store_true", help="rapport JSON / JSON report")
    add_source_options(s)
    s = sub.add_parser("template", help="modèle vide / empty template")
    s.add_argument("--lang", dest="template_lang", choices=["fr", "en"], default="fr")
    s.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    s.add_argument("-o", "--output", type=Path, required=True)
    s = with_db(sub.add_parser("export", help="exporter les activités / export the records"))
    s.add_argument("--format", choices=["csv", "xlsx", "parquet"], default="csv")
    s.add_argument("-o", "--output", type=Path, required=True)
    with_db(sub.add_parser("history", help="historique des chargements / load history"))
    s = with_db(sub.add_parser("rollback", help="annuler un chargement / roll a load back"))
    s.add_argument("load_id", type=int)
    s.add_argument("--user", default=None)
    s = with_db(sub.add_parser("demo", help="données de démonstration / demo data"))
    s.add_argument("--rows", type=int, default=3000)
    s.add_argument("--seed", type=int, default=20221)
    s.add_argument(
        "--open-data",
        action="store_true",
        help="base des données ouvertes réelles (data/open) / database of the real open data (data/open)",
    )
    add_cities_parser(sub, with_db)
    add_figures_parser(sub, with_db)
    add_report_parser(sub, with_db)
    add_users_parser(sub, with_db)
    add_ops_parsers(sub, with_db)
    return p


def add_source_options(s) -> None:
    """Options for platform exports (Pabulib, Decidim, CONSUL: etl/sources)."""
    s.add_argument(
        "--city",
        default=None,
        help="ville d'un export Decidim ou CONSUL (nom ou code) / city of a Decidim or CONSUL export (name or code)",
    )
    s.add_argument(
        "--level",
        action="append",
        default=[],
        metavar="[ESPACE:]METHODE=NIVEAU",
        help="niveau d'engagement par type d'activité (ou par espace participatif) / engagement level per kind "
        "of activity (or per participatory space), e.g. reunion_publique=concertation",
    )
    s.add_argument(
        "--set",
        action="append",
        default=[],
        dest="figures",
        metavar="[ID_ACTIVITE:]CHAMP=VALEUR",
        help="chiffre absent de l'export / a figure the export lacks, e.g. nb_participants=4500",
    )


def source_options(args) -> SourceOptions:
    """The export options of `load` / `validate` (a usage error, exit 2, when malformed)."""
    from etl.schema import load_schema

    schema = load_schema()

    def pairs(items, option):
        out = {}
        for item in items:
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise UsageError(
                    f"{option} attend CLE=VALEUR, reçu « {item} ».", f"{option} expects KEY=VALUE, got '{item}'."
                )
            out[key.strip()] = value.strip()
        return out

    levels = pairs(args.level, "--level")
    level_codes = {c.code for c in schema.field("niveau_engagement").codes}
    method_codes = {c.code for c in schema.field("methode").codes}
    for key, value in levels.items():
        method = key.rpartition(":")[2]
        if method not in method_codes or value not in level_codes:
            raise UsageError(
                f"--level {key}={value} : type d'activité parmi {', '.join(sorted(method_codes))} ; "
                f"niveau parmi {', '.join(sorted(level_codes))}.",
                f"--level {key}={value}: kind of activity among {', '.join(sorted(method_codes))}; "
                f"level among {', '.join(sorted(level_codes))}.",
            )
    figures = pairs(args.figures, "--set")
    for key in figures:
        if key.rpartition(":")[2] not in schema.names:
            raise UsageError(
                f"--set {key} : champ inconnu ; champs : {', '.join(schema.names)}.",
                f"--set {key}: unknown field; fields: {', '.join(schema.names)}.",
            )
    return SourceOptions(city=args.city, levels=levels, figures=figures, channel="cli")


class UsageError(Exception):
    def __init__(self, fr: str, en: str):
        super().__init__(en)
        self.fr, self.en = fr, en


def _user(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except Exception:  # no user database (containers): still record something
        return "cli"


def _print_report(report: FileReport, lang: str) -> None:
    w = WORDS[lang]
    ok = report.status in ("loaded", "valid", "already-loaded")
    head = f"{'✔' if ok else '✘'} {report.file} — {w[report.status]}"
    if report.status == "already-loaded":
        load_id, at = report.previous_load
        head += f" ({w['load']} {load_id}, {w['on']} {at:%Y-%m-%d %H:%M})"
    elif report.status == "loaded":
        head += (
            f": {report.rows_read} {w['activities' if report.export_summary else 'rows']}, {report.inserted} {w['inserted']}, {report.updated} {w['updated']}, "
            f"{report.unchanged} {w['unchanged']} ({w['load']} {report.load_id})"
        )
    elif report.rows_read:
        head += (
            f": {report.rows_read} {w['activities' if report.export_summary else 'rows']}, {report.error_count} {w['errors']}, "
            f"{report.warning_count} {w['warnings']}"
        )
    print(head)
    if report.export_summary:
        print(f"  {report.export_summary[lang]}")
    for p in report.problems[:MAX_PRINTED]:
        where = ", ".join(x for x in [f"{w['line']} {p.line}" if p.line else "", p.column or ""] if x)
        print(f"  {'✘' if p.is_error else '!'} {where} [{p.code}] {p.message(lang)}")
    total = report.error_count + report.warning_count
    if total > MAX_PRINTED:
        print("  " + w["more"].format(n=total - min(MAX_PRINTED, len(report.problems))))


def _guarded(action, con, path: Path, **kwargs) -> FileReport:
    """Run a load or a check; an unexpected failure becomes a rejection that says what
    happened, not a traceback (set ETL_DEBUG=1 to see it)."""
    try:
        return action(con, path, **kwargs)
    except DatabaseError:
        raise
    except Exception as exc:
        if os.environ.get("ETL_DEBUG"):
            raise
        problem = Problem("accounting-error", params={"detail": f"{type(exc).__name__}: {exc}"}, file=path.name)
        return FileReport(file=path.name, status="rejected", problems=[problem])


def _files_missing(files: list[Path]) -> bool:
    """Say which files do not exist (a usage error, exit 2)."""
    missing = [f for f in files if not f.is_file()]
    if missing:
        print(f"Fichier introuvable / file not found: {', '.join(map(str, missing))}", file=sys.stderr)
    return bool(missing)


def cmd_load(args) -> int:
    if _files_missing(args.files):
        return 2
    options = source_options(args)
    status = 0
    with writing(database_path(args.db)) as con:
        for path in args.files:
            with tqdm(total=100, desc=path.name, unit="%", leave=False, disable=None, file=sys.stderr) as bar:

                def progress(stage, fraction, bar=bar):
                    bar.set_postfix_str(stage)
                    bar.update(int(fraction * 100) - bar.n)

                report = _guarded(load_file, con, path, user=_user(args.user), progress=progress, source=options)
            _print_report(report, args.lang)
            status |= report.status == "rejected"
    return status


def cmd_validate(args) -> int:
    if _files_missing(args.files):
        return 2
    options = source_options(args)
    db = database_path(args.db)
    # Validation needs the reference cities; it must not write, so it works on a copy.
    with tempfile.TemporaryDirectory() as tmp, writing(Path(tmp) / "validate.duckdb") as con:
        if db.exists():
            _copy_cities(db, con)
        reports = [_guarded(lambda c, p: check_file(c, p, source=options)[0], con, path) for path in args.files]
    if args.json:
        # A list of problems; a report that describes only the first ones ends with a
        # `more-problems` entry that counts the others by code.
        listed = [p for r in reports for p in [*r.problems, *([r.more] if r.more else [])]]
        print(json.dumps([p.as_dict() for p in listed], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            _print_report(report, args.lang)
    return int(any(r.status == "rejected" for r in reports))


def _copy_cities(db: Path, con) -> None:
    with reading(db) as source:
        try:
            rows = source.execute("SELECT * FROM cities").fetchall()
            columns = [d[0] for d in source.description]
        except duckdb.Error as exc:
            raise DatabaseError(
                f"{db} n'est pas une base de ce tableau de bord (pas de liste de villes) : {exc}",
                f"{db} is not a database of this dashboard (no city list): {exc}",
            ) from exc
    marks = ", ".join("?" for _ in columns)
    con.executemany(f"INSERT INTO cities ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT (code) DO NOTHING", rows)


def cmd_template(args) -> int:
    write_template(args.output, lang=args.template_lang, fmt=args.format)
    print(f"✔ {args.output}")
    return 0


def cmd_export(args) -> int:
    with writing(database_path(args.db)) as con:
        count = export(con, args.output, args.format)
    print(f"✔ {args.output}: {count} activités / records")
    return 0


def cmd_history(args) -> int:
    with writing(database_path(args.db)) as con:
        rows = history(con)
    if not rows:
        print("Aucun chargement / no load yet.")
        return 0
    import pandas as pd

    frame = pd.DataFrame(rows)[
        [
            "load_id",
            "loaded_at",
            "status",
            "file_name",
            "user_name",
            "rows_read",
            "inserted",
            "updated",
            "unchanged",
            "is_demo",
        ]
    ]
    frame["loaded_at"] = frame["loaded_at"].dt.strftime("%Y-%m-%d %H:%M")
    print(frame.to_string(index=False))
    return 0


def cmd_rollback(args) -> int:
    with writing(database_path(args.db)) as con:
        plan = rollback(con, args.load_id, user=_user(args.user))
    print(
        f"✔ chargement {plan.load_id} annulé : {plan.removes} versions retirées, {plan.restores} versions précédentes "
        f"rétablies, {plan.kept} gardées (contenues inchangées par des chargements ultérieurs)."
    )
    print(
        f"  load {plan.load_id} rolled back: {plan.removes} versions removed, {plan.restores} earlier versions "
        f"restored, {plan.kept} kept (held unchanged by later loads)."
    )
    return 0


def cmd_open_data(args) -> int:
    """A database of the real open data: data/open/records/*.csv loaded through the
    ordinary path, as loads by `open-data` (not demo loads)."""
    from etl import demo as demo_mod
    from etl.paths import OPEN_DATA_DIR, OPEN_DATA_USER

    db = database_path(args.db)
    _reset_open_database(db, OPEN_DATA_USER)
    demo_mod.reset_demo_database(db)
    files = sorted(OPEN_DATA_DIR.glob("*.csv"))
    status = 0
    with writing(db) as con:
        for path in tqdm(files, desc="open data", unit="fichier", disable=None, file=sys.stderr):
            report = load_file(con, path, user=OPEN_DATA_USER)
            if report.status not in ("loaded", "already-loaded"):
                _print_report(report, args.lang)
                status = 1
        total = con.execute("SELECT count(*) FROM activities").fetchone()[0]
    print(
        f"✔ {db}: {total} activités réelles publiées (Pabulib) dans {len(files)} fichiers / "
        f"real published records (Pabulib) in {len(files)} files"
    )
    return status


def _reset_open_database(db: Path, user: str) -> None:
    """Remove a database that holds only open-data (or demo) loads; refuse other data."""
    if not db.exists():
        return
    with writing(db, upgrade=False) as con:
        has_loads = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'loads'").fetchone()[0]
        other = (
            con.execute("SELECT count(*) FROM loads WHERE NOT is_demo AND user_name <> ?", [user]).fetchone()[0]
            if has_loads
            else 0
        )
    if other:
        raise DatabaseError(
            f"La base {db} contient d'autres données réelles ({other} chargements) : elle n'est pas écrasée. "
            "Choisissez une autre base avec --db.",
            f"The database {db} holds other real data ({other} loads): it is not overwritten. "
            "Choose another database with --db.",
        )
    db.unlink()
    db.with_name(db.name + ".wal").unlink(missing_ok=True)


def cmd_demo(args) -> int:
    if args.open_data:
        return cmd_open_data(args)
    from etl import demo as demo_mod  # numpy and pandas: only for this command

    db = database_path(args.db)
    demo_mod.reset_demo_database(db)
    from etl.structure import DEMO_FILE, load_structure  # the demo cities' made-up population structure

    status = 0
    with writing(db) as con:
        cities = con.execute("SELECT code, nom, pays, population, mission FROM cities").df()
        files = demo_mod.prepare_files(
            cities, demo_mod.demo_files_dir(db), rows=args.rows, seed=args.seed, today=date.today()
        )
        for path in tqdm(files, desc="démo / demo", unit="fichier", disable=None, file=sys.stderr):
            report = load_file(con, path, user="demo", is_demo=True)
            if report.status != "loaded":
                _print_report(report, args.lang)
                status = 1
        load_structure(con, DEMO_FILE.read_bytes(), user="demo", demo=True)
        total = con.execute("SELECT count(*) FROM activities").fetchone()[0]
    print(f"✔ {db}: {total} activités de démonstration dans {len(files)} fichiers / demo records in {len(files)} files")
    return status


def cmd_cities(args) -> int:
    return cities_command(args, _user(getattr(args, "user", None)))


def cmd_figures_command(args) -> int:
    return cmd_figures(args, UsageError)


def cmd_report_command(args) -> int:
    return cmd_report(args, UsageError)


COMMANDS = {
    "load": cmd_load,
    "validate": cmd_validate,
    "template": cmd_template,
    "export": cmd_export,
    "history": cmd_history,
    "rollback": cmd_rollback,
    "demo": cmd_demo,
    "cities": cmd_cities,
    "figures": cmd_figures_command,
    "report": cmd_report_command,
    "users": cmd_users,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "migrate": cmd_migrate,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"python -m etl: erreur / error: {exc.fr}\n  {exc.en}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"✘ {exc.fr}\n  {exc.en}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:  # a damaged file that opened, then failed on a read
        if not is_database_fault(exc):
            raise
        problem = explain(exc, database_path(getattr(args, "db", None)))
        print(f"✘ {problem.fr}\n  {problem.en}", file=sys.stderr)
        return 1
    except OSError as exc:  # a path that cannot be read or written
        where = exc.filename or ""
        print(
            f"✘ Fichier ou dossier inaccessible {where} : {exc.strerror or exc}. Vérifiez le chemin.\n"
            f"  Cannot access {where}: {exc.strerror or exc}. Check the path.",
            file=sys.stderr,
        )
        return 1
