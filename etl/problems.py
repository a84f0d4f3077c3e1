"""Validation problems: a stable code, a place (line, column) and a message in
French and English that tells the user how to fix it.

Validation never raises on the first problem; it accounts for every problem of a file:
all are counted by code, the details of only the first ones are kept (`select`), so a
file of millions of broken lines costs a report of a thousand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

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
    # --- platform exports (etl/sources/) ---
    "export-city": (
        ERROR,
        "« {value} » {state_fr} : rien n'a été chargé. {how_fr}",
        '"{value}" {state_en}: nothing was loaded. {how_en}',
    ),
    "export-city-needed": (
        ERROR,
        "Un export {platform} ne dit pas de quelle ville il vient : rien n'a été chargé. {how_fr}",
        "A {platform} export does not say which city it comes from: nothing was loaded. {how_en}",
    ),
    "export-truncated": (
        ERROR,
        "Le fichier {platform} est incomplet ({detail_fr}) : il a sans doute été coupé au téléchargement. Téléchargez-le à nouveau et déposez le fichier complet.",
        "The {platform} file is incomplete ({detail_en}): it was probably cut off while downloading. Download it again and upload the whole file.",
    ),
    "export-count-mismatch": (
        ERROR,
        "META annonce {key} = {declared}, mais la section {section} compte {found} lignes. Le fichier a été modifié ou coupé : téléchargez-le à nouveau, ou corrigez {key} dans META.",
        "META declares {key} = {declared}, but the {section} section has {found} rows. The file was changed or cut off: download it again, or correct {key} in META.",
    ),
    "export-bad-value": (
        ERROR,
        "« {value} » n'est pas lisible pour {column} ({expected_fr}). Corrigez cette valeur dans l'export ou exportez-le à nouveau.",
        '"{value}" cannot be read for {column} ({expected_en}). Correct this value in the export or export it again.',
    ),
    "export-columns": (
        ERROR,
        "Le fichier « {entity} » de l'export {platform} n'a pas les colonnes nécessaires : {columns}. Exportez-le à nouveau depuis {platform} sans retirer de colonnes (colonnes trouvées : {found}).",
        'The "{entity}" file of the {platform} export lacks the columns it needs: {columns}. Export it again from {platform} without removing columns (columns found: {found}).',
    ),
    "export-no-known-file": (
        ERROR,
        "Cette archive ZIP ne contient aucun fichier d'export reconnu (Decidim : …-open-data-meetings.csv, …-open-data-proposals.csv, …-open-data-projects.csv ; fichiers trouvés : {found}). Déposez le ZIP téléchargé depuis la page « Données ouvertes » de Decidim, ou l'un de ses CSV.",
        'This ZIP archive holds no known export file (Decidim: …-open-data-meetings.csv, …-open-data-proposals.csv, …-open-data-projects.csv; files found: {found}). Upload the ZIP downloaded from Decidim\'s "Open data" page, or one of its CSV files.',
    ),
    "export-nothing": (
        ERROR,
        "L'export ne contient aucune activité à charger ({detail_fr}). Vérifiez que c'est le bon fichier.",
        "The export holds no activity to load ({detail_en}). Check that it is the right file.",
    ),
    "export-missing-figure": (
        ERROR,
        "« {figure_fr} » manque : l'export {platform} ne le donne pas pour « {title} ». {how_fr}",
        '"{figure_en}" is missing: the {platform} export does not give it for "{title}". {how_en}',
    ),
    "export-not-closed": (
        WARNING,
        "La réunion « {title} » n'a pas été clôturée dans Decidim (0 participant) : elle est chargée avec 0 participant. Clôturez-la dans Decidim en saisissant les participants, puis exportez à nouveau.",
        'The meeting "{title}" was never closed in Decidim (0 attendees): it is loaded with 0 participants. Close it in Decidim with its attendees, then export again.',
    ),
    "export-winners-computed": (
        WARNING,
        "Le fichier ne dit pas quels projets ont été retenus (pas de colonne selected) : {count} projets retenus calculés selon sa règle « {rule} » avec pabutools. Vérifiez ce nombre avec les résultats publiés par la ville.",
        'The file does not say which projects were funded (no selected column): {count} funded projects computed under its rule "{rule}" with pabutools. Check this figure against the results the city published.',
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
        "La partie « {part} » {of_fr} occupe {found} Mo une fois décompressée, au-delà de la limite de {limit} Mo : rien n'a été lu. {advice_fr}",
        'The part "{part}" {of_en} takes {found} MB once inflated, beyond the limit of {limit} MB: nothing was read. {advice_en}',
    ),
    "xlsx-inflation": (
        ERROR,
        "La partie « {part} » {of_fr} se décompresse {ratio} fois plus que sa taille compressée (limite : {limit} fois) : ce n'est pas un fichier ordinaire, rien n'a été lu. {advice_fr}",
        'The part "{part}" {of_en} inflates {ratio} times its compressed size (limit: {limit} times): this is not an ordinary file, nothing was read. {advice_en}',
    ),
    "xlsx-unsafe": (
        ERROR,
        "Ce fichier contient ce qu'un tableur ou une plateforme n'écrit pas ({detail}) : il n'a pas été lu. Enregistrez à nouveau le tableau depuis Excel ou LibreOffice (au format XLSX ou CSV), ou téléchargez à nouveau l'export de la plateforme, et déposez-le.",
        "This file holds what a spreadsheet or a platform does not write ({detail}): it was not read. Save the table again from Excel or LibreOffice (as XLSX or CSV), or download the platform's export again, and upload it.",
    ),
    "more-problems": (
        INFO,
        "… et {more} autres problèmes, comptés mais non détaillés ({counts_fr}). Corrigez d'abord ceux décrits ici (souvent la même cause), puis validez à nouveau.",
        "… and {more} more problems, counted but not described ({counts_en}). Fix the ones described here first (often the same cause), then validate again.",
    ),
}


# The wording of the rules behind "out-of-range" and "inconsistent-values": what is wrong
# and, when a rule needs more than "A is greater than B", how to fix it. `{..._fr}` /
# `{..._en}` are filled by the checks of etl/validate.py.
RULES: dict[str, tuple[str, str]] = {
    "minimum": ("minimum {minimum}", "minimum {minimum}"),
    "date-range": ("entre le {earliest_fr} et le {latest_fr}", "between {earliest_en} and {latest_en}"),
    "greater": ("« {this_fr} » dépasse « {that_fr} ».", '"{this_en}" is greater than "{that_en}".'),
    "before": ("« {this_fr} » est antérieure à « {that_fr} ».", '"{this_en}" is before "{that_en}".'),
    "sum:acteurs": (
        "La somme des catégories d'acteurs (citoyens, entreprises, recherche, associations, institutions) dépasse le nombre de participants.",
        "The stakeholder categories (citizens, businesses, research, associations, public bodies) add up to more than the participants.",
    ),
    "not-future": (
        "au plus tard aujourd'hui, le {today_fr} : si la réponse n'est pas encore publiée, laissez la cellule vide",
        "at the latest today, {today_en}: if the answer is not published yet, leave the cell empty",
    ),
    "implies-date": (
        "« {this_fr} » est renseignée alors que « {that_fr} » vaut non : une réponse publiée est un retour public. "
        "Mettez « oui » dans « {that_fr} », ou videz « {this_fr} » si la ville n'a pas publié de réponse.",
        '"{this_en}" is filled while "{that_en}" is no: a published answer is a public response. '
        'Enter "yes" in "{that_en}", or empty "{this_en}" if the city published no answer.',
    ),
    "implies-count": (
        "« {this_fr} » est supérieur à 0 alors que « {that_fr} » vaut non : répondre publiquement aux propositions est un retour public. "
        "Mettez « oui » dans « {that_fr} », ou 0 dans « {this_fr} » si la ville n'a répondu à aucune proposition.",
        '"{this_en}" is above 0 while "{that_en}" is no: answering the proposals publicly is a public response. '
        'Enter "yes" in "{that_en}", or 0 in "{this_en}" if the city answered no proposal.',
    ),
}


def rule_text(rule: str, **values: str) -> dict[str, str]:
    """`rule_fr` and `rule_en` of a consistency rule, for the messages above."""
    fr, en = RULES[rule]
    return {"rule_fr": fr.format(**values), "rule_en": en.format(**values)}


# What a value of each type looks like, for "type-error": (expected FR, EN), and an
# example where the schema's own example would not read the same in both languages.
TYPE_WORDS: dict[str, tuple[str, str]] = {
    "integer": ("un nombre entier", "a whole number"),
    "number": ("un nombre", "a number"),
    "date": ("une date", "a date"),
    "boolean": ("oui ou non", "yes or no"),
}
TYPE_EXAMPLES: dict[str, tuple[str, str]] = {
    "date": ("14/03/2024 ou 2024-03-14", "14/03/2024 or 2024-03-14"),
    "boolean": ("oui ou non", "yes or no"),
}

# The key a duplicate line shares with an earlier one, when the file gives an identifier.
KEY_BY_ID = ("identifiant", "identifier")


def date_words(day: date) -> tuple[str, str]:
    """A date as each language writes it."""
    return f"{day:%d/%m/%Y}", f"{day:%Y-%m-%d}"


def suggestion(best: str | None) -> dict[str, str]:
    """`suggestion_fr` and `suggestion_en`: "Did you mean …?" when there is a close match."""
    return {
        "suggestion_fr": f"Vouliez-vous dire « {best} » ? " if best else "",
        "suggestion_en": f'Did you mean "{best}"? ' if best else "",
    }


def and_list(fr: list[str], en: list[str]) -> tuple[str, str]:
    """Words joined as each language lists them: "a, b et c" and "a, b and c"."""
    return (
        ", ".join(fr[:-1]) + " et " + fr[-1] if len(fr) > 1 else "".join(fr),
        ", ".join(en[:-1]) + " and " + en[-1] if len(en) > 1 else "".join(en),
    )


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
        values = {k: v.text(lang) if isinstance(v, Count) else v for k, v in values.items()}
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


class Count(int):
    """A number in a message, written as each language writes it: 2 000 000 in French
    (narrow no-break spaces), 2,000,000 in English."""

    def text(self, lang: str) -> str:
        return f"{self:,}".replace(",", "\u202f") if lang == "fr" else f"{self:,}"

    def __str__(self) -> str:
        return self.text("fr")

    def __format__(self, spec: str) -> str:
        return int.__format__(self, spec) if spec else self.text("fr")


def number(n: int) -> Count:
    """A count for a message's parameters (see `Count`)."""
    return Count(n)


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
    ranked = sorted(left.items(), key=lambda kv: -kv[1])
    params = {
        "more": number(sum(left.values())),
        "counts_fr": ", ".join(f"{code} : {number(n).text('fr')}" for code, n in ranked),
        "counts_en": ", ".join(f"{code}: {number(n).text('en')}" for code, n in ranked),
    }
    return Problem("more-problems", params=params, file=file)
