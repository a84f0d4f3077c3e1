"""A damaged, foreign or locked database file: the command line and the dashboard say what
is wrong and what to do, never a traceback."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys

import pytest

from etl import db as etl_db
from tests.conftest import ROOT, run_app, run_cli

DAMAGED = "endommagée ou n'est pas une base DuckDB"


def damage(demo_db, target, how: str) -> None:
    """Make `target` a database file spoiled in one way."""
    data = demo_db.read_bytes()
    if how == "garbage":
        target.write_bytes(random.Random(1).randbytes(64 * 1024))
    elif how == "csv-given-as-database":
        target.write_text("id_activite;ville\nA-1;Lyon\n", encoding="utf-8")
    elif how == "empty-file":
        target.write_bytes(b"")
    elif how == "truncated":  # opens (the header is whole), fails on the first read of a missing block
        target.write_bytes(data[: len(data) // 3])
    elif how == "blocks-overwritten":  # every block fails its checksum
        target.write_bytes(data[:12288] + random.Random(2).randbytes(len(data) - 12288))
    else:
        raise ValueError(how)


KINDS = ["garbage", "csv-given-as-database", "empty-file", "truncated", "blocks-overwritten"]


@pytest.mark.parametrize("how", KINDS)
def test_cli_explains_a_damaged_database(demo_db, tmp_path, how):
    db = tmp_path / "damaged.duckdb"
    damage(demo_db, db, how)
    for args in (["history"], ["load", str(ROOT / "tests/fixtures/utf8_bom.csv")], ["export", "-o", "x.csv"]):
        result = run_cli(*args, "--db", str(db), cwd=tmp_path)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert DAMAGED in result.stderr and "python -m etl restore" in result.stderr, result.stderr
    english = run_cli("--lang", "en", "migrate", "--db", str(db))
    assert english.returncode == 1 and "is damaged or is not a DuckDB database" in english.stderr


@pytest.mark.parametrize("how", KINDS)
def test_app_explains_a_damaged_database(monkeypatch, demo_db, tmp_path, how):
    db = tmp_path / "damaged.duckdb"
    damage(demo_db, db, how)
    for page in (None, "app_pages/city.py"):
        at = run_app(monkeypatch, db, page=page)
        assert not at.exception, at.exception
        assert any(DAMAGED in e.value for e in at.error), [e.value for e in at.error]
    english = run_app(monkeypatch, db, lang="en")
    assert any("is damaged" in e.value and "restore" in e.value for e in english.error)


def test_app_explains_a_database_of_another_program(monkeypatch, tmp_path):
    """A DuckDB file without our tables (wrong ENGAGEMENT_DB): say how to prepare it."""
    import duckdb

    db = tmp_path / "other.duckdb"
    duckdb.connect(str(db)).close()
    at = run_app(monkeypatch, db)
    assert not at.exception
    assert at.error and "python -m etl" in at.error[0].value


HOLD = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()"


def test_app_explains_a_database_locked_by_a_writer(monkeypatch, demo_db, tmp_path):
    db = tmp_path / "busy.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setitem(etl_db.connect.__kwdefaults__, "wait_s", 0.5)  # not the 15 s a user gets
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert writer.stdout.readline().strip() == "held"
        at = run_app(monkeypatch, db)
        assert not at.exception
        assert any("utilisée en écriture par un autre programme" in e.value for e in at.error)
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)
    at.run()  # the writer is gone: the next run shows the page
    assert not at.exception and not at.error and at.title
