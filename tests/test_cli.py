"""The command line, run as a user runs it: exit codes, output, JSON report."""

from __future__ import annotations

import json

import duckdb

from tests.conftest import FIXTURES, run_cli


def add_city(db, *, code: str, name: str, country: str = "FR", population: str = "1", alias: str | None = None):
    """`python -m etl cities add` with the fields that do not matter to the test filled in."""
    args = [
        "cities",
        "add",
        "--code",
        code,
        "--name",
        name,
        "--country",
        country,
        "--population",
        population,
        "--year",
        "2024",
        "--source",
        "test",
        "--lat",
        "45",
        "--lon",
        "5",
        "--db",
        str(db),
    ]
    return run_cli(*args, *(["--alias", alias] if alias else []))


def test_load_ok_then_rejected_then_usage_errors(tmp_path):
    db = tmp_path / "cli.duckdb"
    ok = run_cli("load", str(FIXTURES / "semicolon_cp1252.csv"), "--db", str(db))
    assert ok.returncode == 0, ok.stderr
    assert "✔ semicolon_cp1252.csv — chargé: 2 lignes lues, 2 insérées" in ok.stdout
    again = run_cli("load", str(FIXTURES / "semicolon_cp1252.csv"), "--db", str(db))
    assert again.returncode == 0 and "déjà chargé (chargement 1, le " in again.stdout
    bad = run_cli(
        "--lang", "en", "load", str(FIXTURES / "unknown_city.csv"), str(FIXTURES / "utf8_bom.csv"), "--db", str(db)
    )
    assert bad.returncode == 1
    assert "✘ unknown_city.csv — rejected — nothing was written" in bad.stdout
    assert 'line 3, ville [unknown-city] Unknown city: "Angerz". Did you mean "Angers Loire Métropole"?' in bad.stdout
    assert "✔ utf8_bom.csv — loaded" in bad.stdout  # the other file still loads
    assert run_cli("load", "--db", str(db)).returncode == 2  # no file
    assert run_cli("frobnicate").returncode == 2
    missing = run_cli("load", str(tmp_path / "nope.csv"), "--db", str(db))
    assert missing.returncode == 2 and "introuvable" in missing.stderr


def test_validate_json_writes_nothing(tmp_path):
    db = tmp_path / "v.duckdb"
    result = run_cli(
        "validate", "--json", str(FIXTURES / "type_errors.csv"), str(FIXTURES / "utf8_bom.csv"), "--db", str(db)
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert {"file", "line", "column", "code", "message", "message_en", "severity"} <= set(report[0])
    assert [(r["file"], r["line"], r["column"], r["code"]) for r in report][:2] == [
        ("type_errors.csv", 2, "date_debut", "type-error"),
        ("type_errors.csv", 2, "nb_seances", "type-error"),
    ]
    assert not db.exists()
    assert run_cli("validate", str(FIXTURES / "utf8_bom.csv")).returncode == 0


def test_history_rollback_export_and_cities(tmp_path):
    db = tmp_path / "h.duckdb"
    assert run_cli("load", str(FIXTURES / "utf8_bom.csv"), "--db", str(db)).returncode == 0
    assert run_cli("load", str(FIXTURES / "excel_dates.xlsx"), "--db", str(db)).returncode == 1
    hist = run_cli("history", "--db", str(db))
    assert "utf8_bom.csv" in hist.stdout and "excel_dates" not in hist.stdout
    out = tmp_path / "export.csv"
    assert run_cli("export", "-o", str(out), "--db", str(db)).returncode == 0
    assert out.read_text(encoding="utf-8-sig").count("\n") == 3
    rb = run_cli("rollback", "1", "--db", str(db))
    assert rb.returncode == 0 and "2 versions retirées" in rb.stdout
    assert run_cli("rollback", "1", "--db", str(db)).returncode == 1
    add = add_city(db, code="FR-test", name="Ville Test", country="fr", alias="Testville", population="1000")
    assert add.returncode == 0, add.stderr
    dup = add_city(db, code="FR-x", name="Lyon", country="FR")
    assert dup.returncode == 1 and "désigne déjà" in dup.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT nom, pays, alias FROM cities WHERE code = 'FR-test'").fetchone() == (
        "Ville Test",
        "FR",
        ["Testville"],
    )
    con.close()


def test_database_from_environment_and_locked_database(tmp_path):
    db = tmp_path / "env.duckdb"
    assert run_cli("load", str(FIXTURES / "utf8_bom.csv"), db=db).returncode == 0
    assert db.exists()
    holder = duckdb.connect(str(db))  # another process... here, this one, holds the write lock
    try:
        import os
        import subprocess
        import sys

        from tests.conftest import ROOT

        env = {**os.environ, "PYTHONPATH": str(ROOT), "ENGAGEMENT_DB": str(db)}
        code = "from etl import db; db.connect.__defaults__ = (False, 0.5); from etl.cli import main; raise SystemExit(main(['history']))"
        locked = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    finally:
        holder.close()
    assert locked.returncode == 1
    assert "est utilisée en écriture par un autre programme" in locked.stderr
    assert "Traceback" not in locked.stderr


def test_clear_messages_instead_of_tracebacks(tmp_path):
    db = tmp_path / "m.duckdb"
    taken = add_city(db, code="69123", name="Autre", country="FR")
    assert taken.returncode == 1 and "est déjà celui de Lyon" in taken.stderr
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    bad_db = run_cli("load", str(FIXTURES / "utf8_bom.csv"), "--db", str(not_a_folder / "x.duckdb"))
    assert bad_db.returncode == 1 and "Impossible de créer le dossier" in bad_db.stderr
    foreign = tmp_path / "foreign.duckdb"
    duckdb.connect(str(foreign)).close()
    not_ours = run_cli("validate", str(FIXTURES / "utf8_bom.csv"), "--db", str(foreign))
    assert not_ours.returncode == 1 and "n'est pas une base de ce tableau de bord" in not_ours.stderr
    nowhere = run_cli("template", "-o", str(tmp_path / "missing" / "t.csv"))
    assert nowhere.returncode == 1 and "Vérifiez le chemin" in nowhere.stderr
    for result in (taken, bad_db, not_ours, nowhere):
        assert "Traceback" not in result.stderr
