"""Every fixture file, one per way a real file goes right or wrong, gives exactly the
expected report: (line, column, code) tuples, line numbers as a text editor shows them."""

from __future__ import annotations

import pytest

from etl.load import check_file
from etl.problems import MESSAGES
from tests.conftest import FIXTURES

STAKEHOLDERS = "nb_citoyens+nb_entreprises+nb_recherche+nb_associations+nb_institutions"
EXPECTED: dict[str, list[tuple]] = {
    # read leniently
    "utf8_bom.csv": [],
    "semicolon_cp1252.csv": [],
    "comma_english_headers.csv": [],
    "tab_utf16.csv": [],
    "pipe_separated.csv": [],
    "thousands_separators.csv": [],
    "date_formats.csv": [],
    "booleans.csv": [],
    "french_titles_headers.csv": [],
    "labels_and_synonyms.csv": [],
    "city_aliases.csv": [],
    "no_id_derived_key.csv": [],
    "comment_lines_before_header.csv": [(1, None, "skipped-lines")],
    "extra_column.csv": [(1, "Remarques internes", "extra-column")],
    "blank_lines.csv": [(3, None, "blank-row")],
    "form_feed_in_title.csv": [(1, None, "skipped-lines")],
    "quoted_newline_in_title.csv": [(1, None, "skipped-lines")],
    "cr_line_ends.csv": [],
    "time_of_day_dates.csv": [],
    "cp1252_undefined_byte.csv": [],
    "long_field_multiline.csv": [],
    "unnamed_column_with_data.csv": [(1, "#10", "unnamed-column")],
    # enforce strictly
    "excel_dates.xlsx": [(7, None, "blank-row"), (8, "Date de début", "type-error")],
    "quoted_newlines_crlf.csv": [(5, "nb_participants", "type-error")],
    "excel_numbers_and_errors.xlsx": [(4, "nb_femmes", "type-error")],
    "spaces_inside_numbers.csv": [(2, "nb_participants", "type-error")],
    "extra_field_last_row.csv": [(53, None, "wrong-field-count")],
    "unclosed_quote_last_row.csv": [(7, None, "malformed-row")],
    "missing_field_row.csv": [(3, None, "wrong-field-count")],
    "missing_required_column.csv": [(1, "nb_participants", "missing-column")],
    "duplicate_column.csv": [(1, "participants", "duplicate-column")],
    "type_errors.csv": [
        (2, "date_debut", "type-error"),
        (2, "nb_seances", "type-error"),
        (2, "retour_public", "type-error"),
        (2, "cout_eur", "type-error"),
        (3, "date_debut", "type-error"),
        (3, "nb_participants", "type-error"),
    ],
    "out_of_range.csv": [
        (2, "nb_seances", "out-of-range"),
        (2, "date_debut", "out-of-range"),
        (3, "nb_propositions_retenues", "out-of-range"),
        (3, "date_debut", "out-of-range"),
    ],
    "unknown_city.csv": [(3, "ville", "unknown-city"), (4, "ville", "unknown-city")],
    "unknown_code.csv": [(2, "methode", "unknown-code"), (3, "niveau_engagement", "unknown-code")],
    "inconsistent_values.csv": [
        (2, "date_fin", "inconsistent-values"),
        (2, "nb_propositions_retenues", "inconsistent-values"),
        (2, "nb_femmes", "inconsistent-values"),
        (3, STAKEHOLDERS, "inconsistent-values"),
    ],
    "duplicate_key.csv": [(4, "id_activite", "duplicate-key"), (6, "ville+date_debut+methode+titre", "duplicate-key")],
    "bad_url.csv": [(3, "url_source", "pattern-error")],
    # the follow-up of proposals (issue 17)
    "follow_up_valid.csv": [],
    "answered_over_received.csv": [(2, "nb_propositions_repondues", "inconsistent-values")],
    "implemented_over_adopted.csv": [(2, "nb_propositions_mises_en_oeuvre", "inconsistent-values")],
    "response_before_start.csv": [(2, "date_reponse_publique", "inconsistent-values")],
    "response_in_future.csv": [(2, "date_reponse_publique", "out-of-range")],
    "bad_response_url.csv": [(2, "url_reponse", "pattern-error"), (3, "url_reponse", "pattern-error")],
    "response_without_public_response.csv": [
        (2, "date_reponse_publique", "inconsistent-values"),
        (3, "nb_propositions_repondues", "inconsistent-values"),
    ],
    "missing_values.csv": [
        (2, "ville", "missing-value"),
        (3, "date_debut", "missing-value"),
        (3, "niveau_engagement", "missing-value"),
        (3, "nb_participants", "missing-value"),
    ],
    "empty.csv": [(None, None, "empty-file")],
    "whitespace_only.csv": [(None, None, "empty-file")],
    "header_only.csv": [(1, None, "header-only")],
    "binary_file.csv": [(None, None, "binary-file")],
    "not_tabular.txt": [(1, None, "no-header")],
    "legacy_excel.xls": [(None, None, "unsupported-format")],
}
FIXTURE_FILES = sorted(p for p in FIXTURES.iterdir() if p.suffix != ".py" and p.is_file())


def test_every_fixture_has_an_expectation():
    assert {p.name for p in FIXTURE_FILES} == set(EXPECTED)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_report_matches(check_con, path):
    report, _ = check_file(check_con, path)
    assert [p.key() for p in report.problems] == EXPECTED[path.name]
    assert report.status == ("rejected" if any(p.is_error for p in report.problems) else "valid")


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_messages_say_how_to_fix_in_both_languages(check_con, path):
    report, _ = check_file(check_con, path)
    for problem in report.problems:
        fr, en = problem.message("fr"), problem.message("en")
        assert fr and en and fr != en
        assert "{" not in fr + en, "a template placeholder was left unfilled"


def test_fixtures_cover_every_problem_code():
    seen = {code for expected in EXPECTED.values() for _, _, code in expected}
    tested_elsewhere = {"forbidden-city", "accounting-error"}
    tested_elsewhere |= {  # the limits, in tests/test_bounded_input.py
        "too-many-rows", "too-many-columns", "too-many-sheets", "too-many-cells", "cell-too-long",
        "line-too-long", "xlsx-too-large", "xlsx-inflation", "xlsx-unsafe", "more-problems",
    }  # fmt: skip
    # Platform exports' codes (export-*) are tested on exports: tests/test_sources_*.py.
    exports = {code for code in MESSAGES if code.startswith("export-")}
    assert set(MESSAGES) - tested_elsewhere - exports == seen


def test_cp1252_text_kept_exactly(check_con):
    report, result = check_file(check_con, FIXTURES / "semicolon_cp1252.csv")
    assert report.encoding == "cp1252" and report.delimiter == ";"
    rows = check_con.execute(
        f"SELECT titre, ville, methode, cout_eur, date_debut FROM {result.stage} ORDER BY line"
    ).fetchall()
    assert rows[0][0] == "Œuvre commune – l’été à 5 €"
    assert rows[0][1:4] == ("244900015", "atelier", 1234.5)
    assert rows[1][1:4] == ("242100410", "enquete", 99.9)
    assert str(rows[1][4]) == "2024-04-02"


def test_numbers_dates_booleans_codes_and_aliases_are_normalised(check_con):
    _, r = check_file(check_con, FIXTURES / "thousands_separators.csv")
    assert check_con.execute(f"SELECT nb_participants, cout_eur FROM {r.stage} ORDER BY line").fetchall() == [
        (1234, 1234.5),
        (1234, 12345.6),
        (1234, 1000.0),
        (1234, 1234.5),
        (1234, 1234.5),
    ]
    _, r = check_file(check_con, FIXTURES / "date_formats.csv")
    assert [str(d) for (d,) in check_con.execute(f"SELECT date_debut FROM {r.stage} ORDER BY line").fetchall()] == [
        "2024-03-04"
    ] * 4
    _, r = check_file(check_con, FIXTURES / "booleans.csv")
    assert [b for (b,) in check_con.execute(f"SELECT retour_public FROM {r.stage} ORDER BY line").fetchall()] == [
        True,
        False,
    ] * 5
    _, r = check_file(check_con, FIXTURES / "labels_and_synonyms.csv")
    assert check_con.execute(f"SELECT methode, niveau_engagement FROM {r.stage} ORDER BY line").fetchall() == [
        ("atelier", "co_decision"),
        ("atelier", "concertation"),
        ("reunion_publique", "co_decision"),
        ("consultation_en_ligne", "co_construction"),
    ]
    _, r = check_file(check_con, FIXTURES / "city_aliases.csv")
    assert [c for (c,) in check_con.execute(f"SELECT ville FROM {r.stage} ORDER BY line").fetchall()] == [
        "244900015",
        "200040715",
        "75056",
        "245900428",
        "DK-kobenhavn",
    ]


def test_unknown_city_suggests_the_nearest(check_con):
    report, _ = check_file(check_con, FIXTURES / "unknown_city.csv")
    first, second = report.problems
    assert "Vouliez-vous dire « Angers Loire Métropole » ?" in first.message("fr")
    assert 'Did you mean "Angers Loire Métropole"?' in first.message("en")
    assert "Vouliez-vous dire" not in second.message("fr")  # nothing close to "Atlantis"


def test_multiline_records_use_the_exact_parser(check_con):
    report, _ = check_file(check_con, FIXTURES / "quoted_newlines_crlf.csv")
    assert report.rows_read == 3  # four physical data lines, three records


def test_xlsx_header_found_on_a_later_sheet_and_row(check_con):
    report, result = check_file(check_con, FIXTURES / "excel_dates.xlsx")
    assert report.file_format == "xlsx"
    rows = check_con.execute(
        f"SELECT line, date_debut, retour_public, cout_eur FROM {result.stage} ORDER BY line"
    ).fetchall()
    assert [(line, str(d), b, c) for line, d, b, c in rows[:3]] == [
        (4, "2024-03-14", True, 1234.5),
        (5, "2024-04-02", False, 0.0),
        (6, "2024-05-20", None, None),
    ]


@pytest.mark.parametrize(
    "name, rows",
    [
        ("form_feed_in_title.csv", 2),
        ("quoted_newline_in_title.csv", 2),
        ("cr_line_ends.csv", 2),
        ("long_field_multiline.csv", 2),
    ],
)
def test_no_line_is_lost_after_odd_line_breaks(check_con, name, rows):
    """Form feeds, quoted breaks above the header, CR-only ends: every row is staged."""
    report, result = check_file(check_con, FIXTURES / name)
    staged = check_con.execute(f"SELECT line, id_activite FROM {result.stage} ORDER BY line").fetchall()
    assert report.rows_read == rows == len(staged)
    assert [key for _, key in staged] == ["A-1", "A-2"]


def test_excel_numbers_keep_their_value_and_errors_are_reported(check_con):
    report, result = check_file(check_con, FIXTURES / "excel_numbers_and_errors.xlsx")
    costs = check_con.execute(f"SELECT cout_eur FROM {result.stage} ORDER BY line").fetchall()
    assert [c for (c,) in costs] == [2.125, 12.345, 0.001]
    assert "#N/A" in report.errors[0].message("fr")


def test_a_stray_undefined_byte_keeps_cp1252(check_con):
    report, result = check_file(check_con, FIXTURES / "cp1252_undefined_byte.csv")
    assert report.encoding == "cp1252"
    title = check_con.execute(f"SELECT titre FROM {result.stage} ORDER BY line").fetchone()[0]
    assert title.startswith("L’œuvre")


def test_utf8_head_with_cp1252_later_is_read_as_cp1252(check_con, write_csv):
    """The encoding is checked on the head; invalid bytes further on trigger a re-read."""
    header = "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues"
    lines = [f"A-{i};Lyon;Atelier {i};2024-03-14;atelier;concertation;2;40;3" for i in range(6000)]
    lines.append('A-6000;Lyon;"Café\nsur deux lignes";2024-03-14;atelier;concertation;2;40;3')
    lines.append("A-6001;Lyon;Caf\u00e9;2024-03-14;atelier;concertation;2;40;3")
    path = write_csv("late.csv", "\n".join([header, *lines]) + "\n", "cp1252")
    report, result = check_file(check_con, path)
    assert report.status == "valid", [p.key() for p in report.problems]
    assert report.encoding == "cp1252"
    tail = check_con.execute(f"SELECT line, titre FROM {result.stage} ORDER BY line DESC LIMIT 2").fetchall()
    assert tail == [(6004, "Café"), (6002, "Café\nsur deux lignes")]


def test_follow_up_fields_are_read_and_their_messages_say_the_fix(check_con):
    """The answered count, the answer date (French or ISO), the implemented count and the
    link are typed; a contradiction with `retour_public` names both fields and the fix."""
    report, _ = check_file(check_con, FIXTURES / "follow_up_valid.csv")
    assert report.status == "valid"
    report, _ = check_file(check_con, FIXTURES / "response_without_public_response.csv")
    date_problem, count_problem = report.problems
    assert "« Retour public » vaut non" in date_problem.message("fr")
    assert "Mettez « oui » dans « Retour public »" in date_problem.message("fr")
    assert 'Enter "yes" in "Public response"' in count_problem.message("en")
    report, _ = check_file(check_con, FIXTURES / "response_in_future.csv")
    assert "au plus tard aujourd'hui" in report.problems[0].message("fr")
    assert "leave the cell empty" in report.problems[0].message("en")
