"""What the upload page shows before writing: the file as read, the hand mapping of
headers, and a corrected copy whose lines map back to the uploaded file's lines."""

from __future__ import annotations

import pytest

from etl import mappings, preview
from etl.load import check_file, load_file
from etl.readers import drop_raw
from tests.conftest import FIXTURES


def temp_objects(con) -> int:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0]


def test_preview_describes_the_file_and_leaves_nothing_behind(check_con):
    before = temp_objects(check_con)
    shown = preview.preview_file(check_con, FIXTURES / "semicolon_cp1252.csv")
    assert (shown.file_format, shown.encoding, shown.delimiter, shown.header_line) == ("csv", "cp1252", ";", 1)
    assert shown.fields[:2] == ["id_activite", "ville"] and shown.unknown == []
    assert len(shown.rows) == shown.records and shown.problem is None
    assert temp_objects(check_con) == before


def test_preview_of_an_unreadable_file_is_a_problem_not_an_exception(check_con):
    shown = preview.preview_file(check_con, FIXTURES / "legacy_excel.xls")
    assert shown.problem.code == "unsupported-format" and shown.headers == []


def test_a_hand_mapping_names_the_field_of_an_unknown_header(check_con, write_csv):
    header = "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_propositions_retenues"
    path = write_csv("a.csv", f"{header};Personnes venues\nA-1;Lyon;x;2024-03-14;atelier;concertation;2;3;40\n")
    assert preview.preview_file(check_con, path).unknown == ["Personnes venues"]
    shown = preview.preview_file(check_con, path, header_map={"PERSONNES VENUES": "nb_participants"})
    assert (shown.unknown, shown.fields[-1], shown.by_hand[-1]) == ([], "nb_participants", True)
    report, result = check_file(check_con, path, header_map={"Personnes venues": "nb_participants"})
    drop_raw(check_con, result.raw.table)
    assert report.status == "valid" and "extra-column" not in {p.code for p in report.problems}
    # A mapping to a field that does not exist is ignored, not an error.
    assert mappings.clean({"x": "no_such_field", "y": "ville"}, _schema()) == {"y": "ville"}


def _schema():
    from etl.schema import load_schema

    return load_schema()


def test_mappings_are_remembered_per_city(con):
    mappings.remember(con, "69123", {"Personnes venues": "nb_participants", "Vieux": ""}, by="lyon")
    assert mappings.remembered(con, "69123") == {"personnesvenues": "nb_participants"}
    assert mappings.remembered(con, "75056") == {}
    mappings.remember(con, "69123", {"personnes VENUES": ""})  # emptied: forgotten
    assert mappings.remembered(con, "69123") == {}


@pytest.mark.parametrize("fixture", ["type_errors.csv", "quoted_newline_in_title.csv", "excel_dates.xlsx"])
def test_a_corrected_copy_keeps_every_row_and_maps_lines_back(con, tmp_path, fixture):
    path = FIXTURES / fixture
    report, result = check_file(con, path)
    if result is not None:
        drop_raw(con, result.raw.table)
    lines = sorted({p.line for p in report.errors if p.line}) or [report.rows_read]
    _, rows = preview.rows_at(con, path, lines)
    data, line_map = preview.corrected_file(con, path, rows)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(data)
    again, result = check_file(con, copy)
    if result is not None:
        drop_raw(con, result.raw.table)
    assert again.rows_read == report.rows_read - report.blank  # every row, nothing more
    # The same problems, at the same lines of the uploaded file.
    assert sorted((line_map[p.line], p.code) for p in again.errors) == sorted((p.line, p.code) for p in report.errors)


def test_fixing_a_cell_makes_the_copy_load(con, tmp_path):
    path = FIXTURES / "type_errors.csv"
    _, rows = preview.rows_at(con, path, [2, 3])
    fixed = rows.copy()
    fixed.loc[:, ["c3", "c6", "c7", "c9", "c10"]] = [["28/02/2024", "2", "40", "oui", "12,50"],
                                                    ["14/03/2024", "2", "40", "oui", "10"]]  # fmt: skip
    data, _ = preview.corrected_file(con, path, fixed)
    copy = tmp_path / "type_errors (corrigé).csv"
    copy.write_bytes(data)
    report = load_file(con, copy)
    assert (report.status, report.inserted) == ("loaded", 2), [p.message("en") for p in report.problems]


def test_a_copy_refuses_rows_the_file_does_not_have(con):
    path = FIXTURES / "type_errors.csv"
    _, rows = preview.rows_at(con, path, [2])
    with pytest.raises(ValueError):
        preview.corrected_file(con, path, rows.assign(line=99))
