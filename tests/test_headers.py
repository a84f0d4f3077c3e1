"""The headers French teams and their platforms write: the synonyms kept in the schema
(`x-synonyms`), checked on headers of real published files, and the checks that wait for
the columns they depend on."""

from __future__ import annotations

import csv

import pytest

from etl.load import check_file
from etl.schema import load_schema, normalize_key
from tests.conftest import FIXTURES

SCHEMA = load_schema()
REAL = FIXTURES / "headers" / "real_world_headers.csv"


def real_world_headers() -> list[tuple[str, str, str]]:
    lines = [line for line in REAL.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [(r["source"], r["header"], r["field"]) for r in csv.DictReader(lines, delimiter=";")]


def test_the_real_world_list_covers_several_sources():
    rows = real_world_headers()
    assert {source for source, _, _ in rows} == {"paris_bp", "decidim", "scdl_delib", "issue16"}
    assert len(rows) >= 60


@pytest.mark.parametrize("source,header,field", real_world_headers(), ids=lambda v: str(v))
def test_real_headers_are_read_as_the_field_they_hold_and_others_stay_unmapped(source, header, field):
    found = SCHEMA.match_header(header)
    assert (found.name if found else "") == field, f"{source}: « {header} »"


def test_every_synonym_designates_one_field_only():
    """A header never means two things: no spelling of one field (name, titles, synonyms)
    is a spelling of another."""
    owner: dict[str, str] = {}
    for f in SCHEMA.fields:
        assert f.synonyms, f"{f.name} has no synonym"
        for key in f.header_keys():
            assert owner.setdefault(key, f.name) == f.name, f"« {key} » is {owner[key]} and {f.name}"
            assert key, f"an empty synonym in {f.name}"


def test_synonyms_live_in_the_published_schema():
    raw = {f["name"]: f for f in SCHEMA.raw["fields"]}
    assert all(isinstance(raw[f.name]["x-synonyms"], list) for f in SCHEMA.fields)
    assert normalize_key("Coût TTC (€)") in SCHEMA.field("cout_eur").header_keys()


FRENCH_REPORT = (
    "N° fiche;Ville;Intitulé;Date;Type d'activité;Niveau;Nb séances;Nombre de participants;"
    "Propositions retenues;Dont femmes;Coût TTC (€)\n"
    "GRE-1;Grenoble;Atelier vélo;14/03/2024;Atelier;Concertation;2;40;3;22;1 250,50\n"
    "GRE-2;Grenoble;Réunion énergie;02/04/2024;Réunion publique;Information;1;80;0;41;300\n"
    "GRE-3;Grenoble;Budget participatif;10/05/2024;Budget participatif;Co-décision;3;210;12;;15 000\n"
)


def test_a_french_teams_report_is_read_without_any_hand_mapping(check_con, write_csv):
    report, _ = check_file(check_con, write_csv("bilan.csv", FRENCH_REPORT, "cp1252"))
    assert report.status == "valid", [p.key() for p in report.problems]
    assert report.problems == []


def test_duplicate_keys_wait_for_the_columns_of_the_key(check_con, write_csv):
    """Before the date and the method are mapped, every row would share one empty key: the
    report says which columns are missing, not that every line repeats the first."""
    unknown = FRENCH_REPORT.replace("N° fiche;", "Fiche n;").replace(";Date;", ";Jour J;")
    unknown = unknown.replace("Type d'activité", "Sorte d'action")
    report, _ = check_file(check_con, write_csv("bilan.csv", unknown))
    codes = [p.code for p in report.problems]
    assert "duplicate-key" not in codes
    assert [p.column for p in report.problems if p.code == "missing-column"] == ["date_debut", "methode"]
    # Mapped by hand, the file is valid: the rows were never duplicates.
    hand = {"Jour J": "date_debut", "Sorte d'action": "methode", "Fiche n": "id_activite"}
    report, _ = check_file(check_con, write_csv("bilan.csv", unknown), header_map=hand)
    assert report.status == "valid", [p.key() for p in report.problems]


def test_a_real_duplicate_without_titles_names_the_columns_of_its_key(check_con, write_csv):
    text = "ville;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues\n"
    text += "Lyon;2024-03-14;atelier;concertation;1;10;0\nLyon;2024-03-14;atelier;concertation;1;12;0\n"
    report, _ = check_file(check_con, write_csv("a.csv", text))
    (duplicate,) = [p for p in report.problems if p.code == "duplicate-key"]
    assert "même ville, date de début et méthode" in duplicate.message("fr")
    assert "same city, start date and activity type" in duplicate.message("en")
    assert duplicate.column == "ville+date_debut+methode"
