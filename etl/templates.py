"""Empty templates generated from the schema: CSV in French or English, and an XLSX
with drop-down lists for every code field and an instructions sheet."""

from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from etl.schema import Field, Schema, load_schema

SHEETS = {
    "fr": {"data": "Activités", "help": "Instructions", "lists": "Listes"},
    "en": {"data": "Activities", "help": "Instructions", "lists": "Lists"},
}
HELP_HEADER = {
    "fr": [
        "Colonne",
        "Nom canonique",
        "Nom anglais",
        "Type",
        "Obligatoire",
        "Description",
        "Exemple",
        "Valeurs admises",
    ],
    "en": ["Column", "Canonical name", "English name", "Type", "Required", "Description", "Example", "Accepted values"],
}
TYPE_LABELS = {
    "fr": {
        "string": "texte",
        "integer": "nombre entier",
        "number": "nombre",
        "date": "date (JJ/MM/AAAA)",
        "boolean": "oui / non",
    },
    "en": {
        "string": "text",
        "integer": "whole number",
        "number": "number",
        "date": "date (DD/MM/YYYY)",
        "boolean": "yes / no",
    },
}
BOOLEANS = {"fr": ["oui", "non"], "en": ["yes", "no"]}


def headers(lang: str, schema: Schema | None = None) -> list[str]:
    """Column headers of the template: the fields' titles in `lang`."""
    schema = schema or load_schema()
    return [f.title(lang) for f in schema.fields]


def template_csv(lang: str = "fr", schema: Schema | None = None) -> bytes:
    """French: `;` and a UTF-8 BOM (what French Excel expects); English: `,`, UTF-8."""
    sep = ";" if lang == "fr" else ","
    line = sep.join(_quote(h, sep) for h in headers(lang, schema)) + "\r\n"
    return ("\ufeff" + line).encode("utf-8") if lang == "fr" else line.encode("utf-8")


def _quote(text: str, sep: str) -> str:
    return f'"{text}"' if sep in text or '"' in text else text


def _accepted(f: Field, lang: str) -> list[str]:
    if f.is_code:
        return [c.label(lang) for c in f.codes]
    if f.type == "boolean":
        return BOOLEANS[lang]
    return []


def template_xlsx(lang: str = "fr", schema: Schema | None = None) -> bytes:
    """An XLSX template: data sheet first (with drop-downs), then the instructions."""
    schema = schema or load_schema()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    names = SHEETS[lang]
    data = book.add_worksheet(names["data"])
    help_sheet = book.add_worksheet(names["help"])
    lists = book.add_worksheet(names["lists"])
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    last_row = 100_000
    for col, f in enumerate(schema.fields):
        data.write_string(0, col, f.title(lang), bold)
        data.write_comment(0, col, f.description(lang), {"x_scale": 2.5, "y_scale": 2})
        data.set_column(col, col, max(14, len(f.title(lang)) + 2), date_format if f.type == "date" else None)
        accepted = _accepted(f, lang)
        if accepted:
            lists.write_string(0, col, f.name, bold)
            for i, value in enumerate(accepted, start=1):
                lists.write_string(i, col, value)
            letter = xl_col_to_name(col)
            source = f"='{names['lists']}'!${letter}$2:${letter}${len(accepted) + 1}"
            data.data_validation(1, col, last_row, col, {"validate": "list", "source": source, "error_type": "warning"})
        elif f.type == "integer":
            data.data_validation(
                1, col, last_row, col, {"validate": "integer", "criteria": ">=", "value": 0, "error_type": "warning"}
            )
        elif f.type == "date":
            data.data_validation(
                1,
                col,
                last_row,
                col,
                {"validate": "date", "criteria": ">=", "value": "2015-01-01", "error_type": "warning"},
            )
    data.freeze_panes(1, 0)
    lists.hide()
    for col, title in enumerate(HELP_HEADER[lang]):
        help_sheet.write_string(0, col, title, bold)
    for row, f in enumerate(schema.fields, start=1):
        cells = [
            f.title(lang),
            f.name,
            f.english_name,
            TYPE_LABELS[lang][f.type],
            ("oui" if lang == "fr" else "yes") if f.required else ("non" if lang == "fr" else "no"),
            f.description(lang),
            str(f.example),
            ", ".join(_accepted(f, lang)),
        ]
        for col, value in enumerate(cells):
            help_sheet.write_string(row, col, value, wrap)
    help_sheet.set_column(0, 0, 28)
    help_sheet.set_column(1, 2, 24)
    help_sheet.set_column(3, 4, 14)
    help_sheet.set_column(5, 5, 70)
    help_sheet.set_column(6, 7, 30)
    help_sheet.freeze_panes(1, 1)
    book.close()
    return buffer.getvalue()


def write_template(path: Path, lang: str = "fr", fmt: str = "csv") -> None:
    content = template_xlsx(lang) if fmt == "xlsx" else template_csv(lang)
    Path(path).write_bytes(content)
