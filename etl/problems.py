"""Validation problems: a stable code, a place (line, column) and a message in
French and English that tells the user how to fix it.

Validation never raises on the first problem; it accounts for every problem of a file:
all are counted by code, the details of only the first ones are kept (`select`), so a
file of millions of broken lines costs a report of a thousand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"

# code -> (severity, French template, English template). Templates use str.format
# with the problem's params; every message ends with what to do.
MESSAGES: dict[str, tuple[str, str, str]] = {
    "empty-file": (
        ERROR,
        "Le fichier est vide. Enregistrez le tableau avec sa ligne d'en-tête et au moins une ligne de données, puis déposez-le à nouveau.",
        "The file is empty. Save the sheet with its header line and at least one data line, then upload it again.",
    ),
    "header-only": (
        ERROR,
        "Le fichier ne contient que la ligne d'en-tête, sans aucune activité. Ajoutez une ligne par activité sous l'en-tête.",
        "The file only has its header line and no activity. Add one line per activity below the header.",
    ),
    "binary-file": (
        ERROR,
        "Ce fichier n'est pas un tableau lisible ({detail}). Enregistrez-le depuis votre tableur au format CSV ou XLSX.",
        "This file is not a readable table ({detail}). Save it from your spreadsheet as CSV or XLSX.",
    ),
    "unsupported-format": (
        ERROR,
        "Format non pris en charge ({detail}). Dans Excel : Fichier > Enregistrer sous > « Classeur Excel (.xlsx) » ou « CSV (séparateur : point-virgule) ».",
        'Unsupported format ({detail}). In Excel: File > Save As > "Excel Workbook (.xlsx)" or "CSV (comma delimited)".',
    ),
    "no-header": (
        ERROR,
        "Aucune ligne d'en-tête reconnue dans les {lines} premières lignes. La première ligne doit nommer les colonnes, par exemple : {example}. Téléchargez le modèle pour partir d'un fichier correct.",
        "No header line recognised in the first {lines} lines. The first line must name the columns, for example: {example}. Download the template to start from a correct file.",
    ),
    "skipped-lines": (
        WARNING,
        "Les lignes {lines} précèdent l'en-tête et ont été ignorées. Supprimez-les si elles ne sont pas des commentaires.",
        "Lines {lines} come before the header and were ignored. Delete them if they are not comments.",
    ),
    "blank-row": (
        WARNING,
        "{count} ligne(s) vide(s) ignorée(s) : {lines}.",
        "{count} blank line(s) ignored: {lines}.",
    ),
    "missing-column": (
        ERROR,
        "Colonne obligatoire absente : « {column} » ({title_fr}). Ajoutez cette colonne à l'en-tête (noms acceptés : {accepted}).",
        'Required column missing: "{column}" ({title_en}). Add this column to the header (accepted names: {accepted}).',
    ),
    "duplicate-column": (
        ERROR,
        "Les colonnes {columns} désignent toutes le champ « {field} ». Gardez-en une seule.",
        'Columns {columns} all designate the field "{field}". Keep only one of them.',
    ),
    "extra-column": (
        WARNING,
        "Colonne inconnue « {column} » : elle est ignorée. Renommez-la si elle correspond à un champ du modèle.",
        'Unknown column "{column}": it is ignored. Rename it if it matches a field of the template.',
    ),
    "unnamed-column": (
        WARNING,
        "La colonne n° {position} n'a pas d'en-tête mais contient {count} valeur(s) : elles sont ignorées. Donnez-lui le nom d'un champ du modèle si elles doivent être chargées.",
        "Column #{position} has no header but holds {count} value(s): they are ignored. Give it the name of a template field if they should be loaded.",
    ),
    "wrong-field-count": (
        ERROR,
        "Cette ligne a {found} cellules au lieu de {expected}. Vérifiez les séparateurs ({delimiter}) et les guillemets dans la ligne.",
        "This line has {found} cells instead of {expected}. Check the separators ({delimiter}) and the quotes in the line.",
    ),
    "malformed-row": (
        ERROR,
        'Ligne illisible ({detail}). Vérifiez les guillemets : un champ qui contient le séparateur ou un retour à la ligne doit être entouré de guillemets "…".',
        'Unreadable line ({detail}). Check the quotes: a field that contains the separator or a line break must be wrapped in quotes "…".',
    ),
    "missing-value": (
        ERROR,
        "Valeur obligatoire manquante pour « {column} ». Renseignez-la.",
        'Required value missing for "{column}". Fill it in.',
    ),
    "type-error": (
        ERROR,
        "« {value} » n'est pas {expected_fr}. Saisissez par exemple {example_fr}.",
        '"{value}" is not {expected_en}. Enter for example {example_en}.',
    ),
    "out-of-range": (
        ERROR,
        "« {value} » est hors des limites ({rule_fr}). Corrigez la valeur.",
        '"{value}" is out of range ({rule_en}). Correct the value.',
    ),
    "unknown-code": (
        ERROR,
        "« {value} » n'est pas une valeur admise pour « {column} ». {suggestion_fr}Valeurs admises : {allowed}.",
        '"{value}" is not an accepted value for "{column}". {suggestion_en}Accepted values: {allowed}.',
    ),
    "unknown-city": (
        ERROR,
        "Ville inconnue : « {value} ». {suggestion_fr}Utilisez le nom d'une ville de la liste de référence, ou demandez à la coordination de l'ajouter.",
        'Unknown city: "{value}". {suggestion_en}Use the name of a city of the reference list, or ask the coordinators to add it.',
    ),
    "forbidden-city": (
        ERROR,
        "Vous ne pouvez pas déposer de données pour « {value} ». Retirez ces lignes ou demandez les droits sur cette ville.",
        'You may not upload data for "{value}". Remove these lines or ask for rights on that city.',
    ),
    "pattern-error": (
        ERROR,
        "« {value} » n'est pas une adresse web valide. Saisissez une adresse complète commençant par http:// ou https://.",
        '"{value}" is not a valid web address. Enter a full address starting with http:// or https://.',
    ),
    "inconsistent-values": (
        ERROR,
        "{rule_fr} Corrigez l'une des deux valeurs.",
        "{rule_en} Correct one of the two values.",
    ),
    "duplicate-key": (
        ERROR,
        "Cette activité apparaît déjà à la ligne {first_line} (même {key_fr}). Supprimez le doublon ou donnez-lui un identifiant distinct.",
        "This activity already appears on line {first_line} (same {key_en}). Delete the duplicate or give it a distinct identifier.",
    ),
    "accounting-error": (
        ERROR,
        "Le fichier n'a pas pu être lu de façon sûre ({detail}) : rien n'a été chargé. Enregistrez-le à nouveau depuis votre tableur et réessayez ; si le problème persiste, signalez-le à la coordination avec le fichier.",
        "The file could not be read safely ({detail}): nothing was loaded. Save it again from your spreadsheet and retry; if it persists, report it to the coordinators with the file.",
    ),
    "too-many-rows": (
        ERROR,
        "Le fichier compte {found} lignes après l'en-tête, au-delà de la limite de {limit} lignes : il n'a pas été lu. Supprimez les lignes vides (sous le tableau, Ctrl+Fin montre la dernière), ou découpez le fichier en fichiers de {limit} lignes au plus.",
        "The file has {found} lines after the header, beyond the limit of {limit} lines: it was not read. Delete the empty lines (below the table, Ctrl+End shows the last one), or split the file into files of at most {limit} lines.",
    ),
    "too-many-columns": (
        ERROR,
        "L'en-tête compte {found} colonnes, au-delà de la limite de {limit} : le fichier n'a pas été lu. Gardez seulement les colonnes du modèle (supprimez les colonnes vides ou inutiles à droite du tableau).",
        "The header has {found} columns, beyond the limit of {limit}: the file was not read. Keep only the template's columns (delete the empty or unneeded columns on the right of the table).",
    ),
    "too-many-sheets": (
        ERROR,
        "Aucun en-tête reconnu dans les {limit} premières feuilles du classeur, qui en compte {found} (limite : {limit} feuilles lues). Placez la feuille des activités en premier, ou copiez-la seule dans un nouveau classeur.",
        "No header recognised in the first {limit} sheets of the workbook, which has {found} (limit: {limit} sheets read). Move the activities sheet first, or copy it alone into a new workbook.",
    ),
    "too-many-cells": (
        ERROR,
        "La feuille « {sheet} » s'étend sur {rows} lignes et {columns} colonnes ({found} cellules), au-delà de la limite de {limit} cellules : elle n'a pas été lue. Supprimez les valeurs isolées loin sous ou à droite du tableau (Ctrl+Fin montre la dernière cellule utilisée), ou découpez le classeur.",
        'The sheet "{sheet}" spans {rows} rows and {columns} columns ({found} cells), beyond the limit of {limit} cells: it was not read. Delete the stray values far below or right of the table (Ctrl+End shows the last used cell), or split the workbook.',
    ),
    "cell-too-long": (
        ERROR,
        "Cette cellule compte {found} caractères, au-delà de la limite de {limit} : le fichier n'a pas été lu. Raccourcissez ce texte (un lien vers un document peut aller dans la colonne des sources), ou vérifiez que les séparateurs et guillemets de la ligne sont à leur place.",
        "This cell has {found} characters, beyond the limit of {limit}: the file was not read. Shorten the text (a link to a document can go in the source column), or check that the line's separators and quotes are in place.",
    ),
    "line-too-long": (
        ERROR,
        "Une ligne du fichier compte {found} octets, au-delà de la limite de {limit} octets : le fichier n'a pas été lu. Un tableau a une activité par ligne : vérifiez que le fichier est bien découpé en lignes (enregistrez-le à nouveau en CSV depuis votre tableur).",
        "A line of the file has {found} bytes, beyond the limit of {limit} bytes: the file was not read. A table has one activity per line: check that the file is split into lines (save it again as CSV from your spreadsheet).",
    ),
    "xlsx-too-large": (
        ERROR,
        "La partie « {part} » du classeur occupe {found} Mo une fois décompressée, au-delà de la limite de {limit} Mo : le classeur n'a pas été lu. Supprimez les lignes et colonnes vides ou mises en forme sous et à droite du tableau (Ctrl+Fin montre la dernière cellule utilisée), découpez le classeur, ou enregistrez la feuille en CSV.",
        'The part "{part}" of the workbook takes {found} MB once inflated, beyond the limit of {limit} MB: the workbook was not read. Delete the empty or formatted rows and columns below and right of the table (Ctrl+End shows the last used cell), split the workbook, or save the sheet as CSV.',
    ),
    "xlsx-inflation": (
        ERROR,
        "La partie « {part} » du classeur se décompresse {ratio} fois plus que sa taille compressée (limite : {limit} fois) : ce n'est pas un classeur ordinaire, il n'a pas été lu. Supprimez les lignes et colonnes vides ou mises en forme sous et à droite du tableau, ou enregistrez la feuille en CSV.",
        'The part "{part}" of the workbook inflates {ratio} times its compressed size (limit: {limit} times): this is not an ordinary workbook, it was not read. Delete the empty or formatted rows and columns below and right of the table, or save the sheet as CSV.',
    ),
    "xlsx-unsafe": (
        ERROR,
        "Ce classeur contient ce qu'un tableur n'écrit pas ({detail}) : il n'a pas été lu. Enregistrez à nouveau le tableau depuis Excel ou LibreOffice (au format XLSX ou CSV) et déposez-le.",
        "This workbook holds what a spreadsheet does not write ({detail}): it was not read. Save the table again from Excel or LibreOffice (as XLSX or CSV) and upload it.",
    ),
    "more-problems": (
        INFO,
        "… et {more} autres problèmes, comptés mais non détaillés ({counts}). Corrigez d'abord ceux décrits ici (souvent la même cause), puis validez à nouveau.",
        "… and {more} more problems, counted but not described ({counts}). Fix the ones described here first (often the same cause), then validate again.",
    ),
}


@dataclass
class Problem:
    """One problem found in a file."""

    code: str
    line: int | None = None
    column: str | None = None
    params: dict = field(default_factory=dict)
    file: str | None = None

    @property
    def severity(self) -> str:
        return MESSAGES[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = "fr") -> str:
        _, fr, en = MESSAGES[self.code]
        values = {"column": self.column or "", **self.params}
        return (fr if lang == "fr" else en).format(**values)

    def as_dict(self) -> dict:
        """The JSON form: file, line, column, code, severity, message (fr) and message_en."""
        out = asdict(self)
        out.pop("params")
        out["severity"] = self.severity
        out["message"] = self.message("fr")
        out["message_en"] = self.message("en")
        return out

    def key(self) -> tuple:
        """(line, column, code): how tests compare reports."""
        return (self.line, self.column, self.code)


def number(n: int) -> str:
    """A count as both languages read it: 2 000 000 (a narrow space, never a comma)."""
    return f"{n:,}".replace(",", "\u202f")


def select(problems: list[Problem], kept: int, per_code: int) -> list[Problem]:
    """The problems a report describes: all of them when they fit in `kept`; else the
    first `per_code` of each code, then the earliest others, up to `kept` in all, in
    their original order."""
    if len(problems) <= kept:
        return list(problems)
    chosen: set[int] = set()
    seen: dict[str, int] = {}
    for i, p in enumerate(problems):
        if seen.get(p.code, 0) < per_code and len(chosen) < kept:
            seen[p.code] = seen.get(p.code, 0) + 1
            chosen.add(i)
    for i in range(len(problems)):
        if len(chosen) >= kept:
            break
        chosen.add(i)
    return [p for i, p in enumerate(problems) if i in chosen]


def count_codes(problems: list[Problem], extra: dict[str, int] | None = None) -> dict[str, int]:
    """code -> number of problems: the ones listed plus those only counted (`extra`)."""
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.code] = counts.get(p.code, 0) + 1
    for code, n in (extra or {}).items():
        counts[code] = counts.get(code, 0) + n
    return counts


def more_problems(counts: dict[str, int], shown: list[Problem], file: str | None = None) -> Problem | None:
    """The line that says how many problems a report counted but does not describe."""
    left = {code: n - sum(p.code == code for p in shown) for code, n in counts.items()}
    left = {code: n for code, n in left.items() if n > 0}
    if not left:
        return None
    listed = ", ".join(f"{code} : {number(n)}" for code, n in sorted(left.items(), key=lambda kv: -kv[1]))
    return Problem("more-problems", params={"more": number(sum(left.values())), "counts": listed}, file=file)
