"""`python -m etl backup DIR`, `restore DIR [--force]` and `migrate`: running the database.

Registered by etl/cli.py; exit codes are the CLI's (0 done, 1 refused: DatabaseError).
"""

from __future__ import annotations

from pathlib import Path

from etl.db import migrate, writing
from etl.paths import database_path
from etl.schema import load_schema
from service.backup import backup, restore

WORDS = {
    "fr": {
        "backup": "✔ Sauvegarde de {db} dans {dir} : {tables} tables ({records} lignes dans records), "
        "{files} fichiers originaux ({mb:.1f} Mo), niveau de migration {level}.",
        "missing": "! {n} fichiers originaux nommés par les chargements manquaient déjà dans {db}.files/ : {names}",
        "restored": "✔ {db} restaurée depuis {dir} (sauvegarde du {date}, niveau de migration {level}) : "
        "le nombre de lignes de ses {tables} tables est celui du manifeste ({records} lignes dans records).",
        "files": "  Fichiers originaux : {copied} copiés, {present} déjà présents, vérifiés par leur sha256.",
        "migrated": "  Migrations appliquées après l'import : {names}.",
        "replaced": "  L'ancienne base est gardée sous {path} : supprimez-la quand la restauration est vérifiée.",
        "applied": "✔ {db} : migrations appliquées : {names}.",
        "uptodate": "✔ {db} est à jour (niveau de migration {level}) : rien à appliquer.",
    },
    "en": {
        "backup": "✔ Backup of {db} in {dir}: {tables} tables ({records} rows in records), "
        "{files} original files ({mb:.1f} MB), migration level {level}.",
        "missing": "! {n} original files named by loads were already missing from {db}.files/: {names}",
        "restored": "✔ {db} restored from {dir} (backup of {date}, migration level {level}): "
        "the row counts of its {tables} tables match the manifest ({records} rows in records).",
        "files": "  Original files: {copied} copied, {present} already there, checked by their sha256.",
        "migrated": "  Migrations applied after the import: {names}.",
        "replaced": "  The previous database is kept as {path}: delete it once the restore is checked.",
        "applied": "✔ {db}: migrations applied: {names}.",
        "uptodate": "✔ {db} is up to date (migration level {level}): nothing to apply.",
    },
}


def add_ops_parsers(sub, with_db) -> None:
    """The `backup`, `restore` and `migrate` commands, on the CLI's sub-parsers."""
    s = with_db(sub.add_parser("backup", help="sauvegarder base et fichiers / back up database and files"))
    s.add_argument("dir", type=Path, help="dossier neuf ou vide / a new or empty folder")
    s = with_db(sub.add_parser("restore", help="restaurer une sauvegarde / restore a backup"))
    s.add_argument("dir", type=Path, help="dossier créé par backup / folder made by backup")
    s.add_argument("--force", action="store_true", help="remplacer une base existante / replace an existing database")
    with_db(sub.add_parser("migrate", help="appliquer les migrations / apply pending migrations"))


def _level(migrations: list[str]) -> str:
    return migrations[-1].split("_")[0] if migrations else "—"


def _say(lang: str, key: str, **values) -> None:
    print(WORDS[lang][key].format(**values))


def cmd_backup(args) -> int:
    db = database_path(args.db)
    m = backup(db, args.dir)
    files = m["files"]
    level = _level(m["app"]["migrations"])
    _say(args.lang, "backup", db=db, dir=args.dir, tables=len(m["tables"]), records=m["tables"].get("records", 0),
         files=files["count"], mb=files["bytes"] / 1e6, level=level)  # fmt: skip
    if files["missing"]:
        _say(args.lang, "missing", n=len(files["missing"]), db=db, names=", ".join(files["missing"][:5]))
    return 0


def cmd_restore(args) -> int:
    db = database_path(args.db)
    r = restore(args.dir, db, force=args.force)
    m = r.manifest
    _say(args.lang, "restored", db=db, dir=args.dir, date=m["created_at"].replace("T", " "),
         level=_level(m["app"]["migrations"]), tables=len(r.tables), records=r.tables.get("records", 0))  # fmt: skip
    _say(args.lang, "files", copied=r.files_copied, present=r.files_present)
    if r.migrations_applied:
        _say(args.lang, "migrated", names=", ".join(r.migrations_applied))
    if r.replaced:
        _say(args.lang, "replaced", path=r.replaced)
    return 0


def cmd_migrate(args) -> int:
    """Apply pending migrations (run it at every deployment, before starting the dashboard).
    A damaged or locked file is explained by the CLI's entry point."""
    db = database_path(args.db)
    with writing(db, upgrade=False) as con:
        applied = migrate(con, load_schema())
        level = _level([r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()])
    if applied:
        _say(args.lang, "applied", db=db, names=", ".join(applied))
    else:
        _say(args.lang, "uptodate", db=db, level=level)
    return 0
