"""One schema drives everything: every field reaches the table, the view, the
templates, and is documented in both languages; the framework matches the code list."""

from __future__ import annotations

import csv
import io
import json

import pytest
from python_calamine import CalamineWorkbook

from etl.load import load_file
from etl.paths import SCHEMA_FILE
from etl.schema import load_framework, load_schema, normalize_key
from etl.templates import template_csv, template_xlsx
from etl.writers import export

SCHEMA = load_schema()


def test_schema_file_is_a_documented_table_schema():
    raw = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert raw["$schema"].endswith("table-schema.json")
    for f in raw["fields"]:
        assert {
            "name",
            "title",
            "description",
            "example",
            "type",
            "englishName",
            "englishTitle",
            "englishDescription",
        } <= set(f)
        assert f["type"] in {"string", "integer", "number", "date", "boolean"}
    assert len({normalize_key(n) for f in SCHEMA.fields for n in f.header_keys()}) == sum(
        len(f.header_keys()) for f in SCHEMA.fields
    )


def test_participants_doc_says_they_are_not_unique_people():
    f = SCHEMA.field("nb_participants")
    assert "pas des personnes uniques" in f.description_fr and "not unique people" in f.description_en


def test_table_and_view_have_every_field(con):
    table = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'records'"
        ).fetchall()
    }
    view = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'activities' ORDER BY ordinal_position"
        ).fetchall()
    ]
    assert set(SCHEMA.names) <= table
    assert view[: len(SCHEMA.names)] == SCHEMA.names


def test_framework_levels_are_the_code_list():
    fw = load_framework()
    raw = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    enum = next(f for f in raw["fields"] if f["name"] == "niveau_engagement")["constraints"]["enum"]
    assert [lv.code for lv in fw.levels] == enum
    assert [lv.rank for lv in fw.levels] == [1, 2, 3, 4, 5]
    assert len({lv.colour for lv in fw.levels}) == 5
    assert set(fw.co_creation) == {"co_construction", "co_decision"}
    for lv in fw.levels:
        assert lv.definition_fr and lv.definition_en and set(lv.equivalents) == {"iap2", "arnstein"}


def test_every_lens_maps_every_level():
    fw = load_framework()
    for lens in fw.lenses:
        categories = {c["code"] for c in lens["categories"]}
        assert {lv.equivalents.get(lens["id"]) for lv in fw.levels} <= categories, lens["id"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_csv_template_has_every_field_and_round_trips(con, tmp_path, lang):
    content = template_csv(lang)
    text = content.decode("utf-8-sig")
    sep = ";" if lang == "fr" else ","
    header = next(csv.reader(io.StringIO(text), delimiter=sep))
    assert [SCHEMA.match_header(h).name for h in header] == SCHEMA.names
    row = {f.name: f.example for f in SCHEMA.fields}
    row |= {
        "ville": "Nantes",
        "retour_public": "oui" if lang == "fr" else "yes",
        "cout_eur": "1 250,50" if lang == "fr" else "1250.50",
    }
    filled = tmp_path / f"template_{lang}.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows([header, [row[n] for n in SCHEMA.names]])
    filled.write_bytes(("\ufeff" if lang == "fr" else "").encode() + buffer.getvalue().encode("utf-8"))
    report = load_file(con, filled)
    assert report.status == "loaded", [p.message("en") for p in report.problems]
    # "Nantes" designates the member, Nantes Métropole (its reference name)
    assert con.execute("SELECT ville, cout_eur, retour_public FROM activities").fetchone() == (
        "Nantes Métropole",
        1250.5,
        True,
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_xlsx_template_has_dropdowns_instructions_and_round_trips(con, tmp_path, lang):
    path = tmp_path / f"template_{lang}.xlsx"
    path.write_bytes(template_xlsx(lang))
    book = CalamineWorkbook.from_path(str(path))
    data, instructions = book.sheet_names[0], book.sheet_names[1]
    header = book.get_sheet_by_name(data).to_python()[0]
    assert [SCHEMA.match_header(h).name for h in header] == SCHEMA.names
    rows = book.get_sheet_by_name(instructions).to_python()
    assert len(rows) == len(SCHEMA.fields) + 1
    assert all(r[5] for r in rows[1:]), "every field has its description"
    import zipfile

    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    code_fields = [f for f in SCHEMA.fields if f.is_code or f.type == "boolean"]
    assert sheet.count('type="list"') == len(code_fields)
    # Fill it as a user would (openpyxl keeps the validations) and load it.
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    labels = {f.name: (f.codes[0].label(lang) if f.is_code else f.example) for f in SCHEMA.fields}
    labels |= {
        "ville": "Grenoble",
        "retour_public": "oui" if lang == "fr" else "yes",
        "date_debut": "14/03/2024",
        "date_fin": "",
    }
    for col, name in enumerate(SCHEMA.names, start=1):
        sheet.cell(row=2, column=col, value=labels[name])
    book.save(path)
    report = load_file(con, path)
    assert report.status == "loaded", [p.message("en") for p in report.problems]


def test_export_neutralises_formulas(con, tmp_path, write_csv):
    hostile = ['=HYPERLINK("http://evil")', "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "Atelier normal"]
    lines = [
        f'X-{i};Lyon;"{t.replace(chr(34), chr(34) * 2)}";2024-03-14;atelier;concertation;1;10;0'
        for i, t in enumerate(hostile)
    ]
    header = "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues"
    assert load_file(con, write_csv("h.csv", "\n".join([header, *lines]) + "\n")).status == "loaded"
    stored = {t for (t,) in con.execute("SELECT titre FROM activities").fetchall()}
    assert stored == set(hostile)  # stored as text, exactly

    export(con, tmp_path / "out.csv", "csv")
    exported = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    titles = {r["titre"] for r in exported}
    assert titles == {"'" + t for t in hostile[:5]} | {"Atelier normal"}

    export(con, tmp_path / "out.xlsx", "xlsx")
    sheet = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_name("activites").to_python()
    col = sheet[0].index("titre")
    assert {r[col] for r in sheet[1:]} == titles
    import zipfile

    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()  # no cell is a formula

    export(con, tmp_path / "out.parquet", "parquet")
    raw = {t for (t,) in con.execute(f"SELECT titre FROM read_parquet('{tmp_path / 'out.parquet'}')").fetchall()}
    assert raw == set(hostile)


def test_follow_up_fields_are_optional_documented_and_in_the_demo(demo_db):
    """Issue 17: four optional fields; the dictionary states their rules in both languages;
    the demo fills them for a share of the activities, never against `retour_public`."""
    import duckdb

    from queries.dictionary import dictionary

    schema = load_schema()
    names = ("nb_propositions_repondues", "date_reponse_publique", "nb_propositions_mises_en_oeuvre", "url_reponse")
    assert not any(schema.field(n).required for n in names)
    fr, en = dictionary(schema, "fr").astype(str), dictionary(schema, "en").astype(str)
    row_fr = fr[fr.apply(lambda r: "date_reponse_publique" in r.values, axis=1)].iloc[0].to_dict()
    row_en = en[en.apply(lambda r: "date_reponse_publique" in r.values, axis=1)].iloc[0].to_dict()
    assert "≤ aujourd'hui" in " ".join(row_fr.values()) and "implique « Retour public » = oui" in " ".join(
        row_fr.values()
    )
    assert "≤ today" in " ".join(row_en.values()) and "implies “Public response” = yes" in " ".join(row_en.values())
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        total, answered, dated, implemented, linked, contradictions = con.execute(
            """SELECT count(*), count(nb_propositions_repondues), count(date_reponse_publique),
                      count(nb_propositions_mises_en_oeuvre), count(url_reponse),
                      count(*) FILTER (NOT retour_public AND date_reponse_publique IS NOT NULL)
               FROM activities"""
        ).fetchone()
    finally:
        con.close()
    assert 0.05 * total < answered == dated < 0.5 * total
    assert 0 < implemented < answered and 0 < linked < answered and contradictions == 0
