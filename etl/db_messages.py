"""What an operational fault of the database file means for the user, and what to do,
in French and English: the one catalogue of these messages (etl/db.py picks the entry).

code -> (French template, English template); templates use str.format with `path`
(the database file), `folder`, and `detail` (DuckDB's or the system's own words).
"""

from __future__ import annotations

DATABASE_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": (
        "La base {path} n'existe pas encore. Créez-la avec « python -m etl demo » (données de démonstration) ou « python -m etl load FICHIER ».",
        'The database {path} does not exist yet. Create it with "python -m etl demo" (demo data) or "python -m etl load FILE".',
    ),
    "no-folder": (
        "Impossible de créer le dossier de la base {folder} : {detail}. Choisissez un autre chemin avec --db.",
        "Cannot create the database folder {folder}: {detail}. Choose another path with --db.",
    ),
    "locked": (
        "La base {path} est utilisée en écriture par un autre programme (un chargement en cours ?). Réessayez dans un instant.",
        "The database {path} is being written by another program (a load in progress?). Try again in a moment.",
    ),
    "damaged": (
        "La base {path} est endommagée ou n'est pas une base DuckDB (fichier tronqué, corrompu ou d'un autre type) : {detail}. "
        "Vérifiez le chemin (--db ou ENGAGEMENT_DB), puis restaurez la dernière sauvegarde : « python -m etl restore DOSSIER --force ».",
        "The database {path} is damaged or is not a DuckDB database (truncated, corrupt or another kind of file): {detail}. "
        'Check the path (--db or ENGAGEMENT_DB), then restore the last backup: "python -m etl restore DIR --force".',
    ),
    "read-only": (
        "La base {path} ne peut pas être écrite (fichier ou dossier en lecture seule, ou droits insuffisants) : {detail}. "
        "Donnez à ce programme le droit d'écrire le fichier et son dossier, ou choisissez un autre chemin (--db ou ENGAGEMENT_DB).",
        "The database {path} cannot be written (read-only file or folder, or not enough rights): {detail}. "
        "Give this program the right to write the file and its folder, or choose another path (--db or ENGAGEMENT_DB).",
    ),
    "outdated": (
        "La base {path} n'est pas à jour pour cette version ({detail}). Lancez « python -m etl migrate », "
        "ou « python -m etl demo » / « python -m etl load FICHIER » pour une base neuve.",
        'The database {path} is not up to date for this version ({detail}). Run "python -m etl migrate", '
        'or "python -m etl demo" / "python -m etl load FILE" for a new database.',
    ),
    "unreadable": (
        "Impossible de lire ou d'écrire la base {path} : {detail}. Si le fichier est endommagé, restaurez une sauvegarde "
        "(« python -m etl restore DOSSIER --force »).",
        'Cannot read or write the database {path}: {detail}. If the file is damaged, restore a backup ("python -m etl restore DIR --force").',
    ),
}
