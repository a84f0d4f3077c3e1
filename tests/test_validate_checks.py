"""Row checks are data derived from the schema: change a bound in the schema file and
validation follows it, with its message; values are bound, never written into the SQL."""

from __future__ import annotations

import json
from datetime import date

from etl.load import check_file
from etl.problems import MESSAGES
from etl.schema import load_schema
from etl.validate import row_checks
from tests.conftest import ROOT

TODAY = date(2026, 11, 25)
STAKEHOLDERS = "nb_citoyens+nb_entreprises+nb_recherche+nb_associations+nb_institutions"
HEADER = "id_activite;ville;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues;nb_citoyens"


def _schema_with(tmp_path, change):
    """The contract with `change` applied to its JSON, read from a copy beside the data."""
    raw = json.loads((ROOT / "schema" / "activites.schema.json").read_text(encoding="utf-8"))
    change(raw)
    (tmp_path / "schema").mkdir()
    (tmp_path / "data").symlink_to(ROOT / "data")  # the code lists the schema points to
    path = tmp_path / "schema" / "changed.schema.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return load_schema(path)


def test_bounds_and_sums_come_from_the_schema(tmp_path, write_csv, check_con):
    def change(raw):
        start = next(f for f in raw["fields"] if f["name"] == "date_debut")
        start["x-minimum"] = "2020-01-01"
        raw["x-sum-groups"]["acteurs"]["maximumField"] = "nb_seances"

    schema = _schema_with(tmp_path, change)
    path = write_csv(
        "bounds.csv",
        f"{HEADER}\n"
        "A-1;Lyon;2019-06-01;atelier;concertation;2;40;3;1\n"  # before the schema's new first date
        "A-2;Lyon;2021-06-01;atelier;concertation;2;40;3;5\n",  # 5 stakeholders > 2 sessions
    )
    report, _ = check_file(check_con, path, schema=schema, today=TODAY)
    assert [p.key() for p in report.problems] == [
        (2, "date_debut", "out-of-range"),
        (3, STAKEHOLDERS, "inconsistent-values"),
    ]
    assert "entre le 01/01/2020 et le 25/11/2027" in report.problems[0].message("fr")
    assert "between 2020-01-01 and 2027-11-25" in report.problems[0].message("en")

    # The same file against the published contract: both lines are valid.
    report, _ = check_file(check_con, path, today=TODAY)
    assert report.problems == []


def test_checks_bind_their_values_and_have_words():
    schema = load_schema()
    checks = row_checks(schema, TODAY, allowed_cities={"244900015"})
    codes = [c.code for c in checks]
    assert codes[:2] == ["forbidden-city", "duplicate-key"]  # listed first on a line, as before
    for check in checks:
        assert check.code in MESSAGES
        assert "'" not in check.condition and "'" not in (check.rows or "")  # no literal text
        assert all(f"${name}" in check.condition for name in check.params)  # every value is bound
        assert set(check.fields) <= set(schema.names)
        if check.code in ("out-of-range", "inconsistent-values"):
            assert check.words["rule_fr"] and check.words["rule_en"]
    # Every constraint of the schema gives a check.
    bounded = {c.fields[0] for c in checks if c.code == "out-of-range"}
    assert bounded == {f.name for f in schema.fields if f.minimum is not None or f.earliest or f.latest}
