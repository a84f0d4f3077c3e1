"""One way to use the database: `reading` / `writing` blocks that always close, and the
operational faults (missing, locked, damaged, read-only) explained from one catalogue."""

from __future__ import annotations

import duckdb
import pytest

from etl.db import DatabaseError, explain, reading, writing
from etl.db_messages import DATABASE_MESSAGES


def test_blocks_close_their_connection_even_on_error(db_path):
    with writing(db_path) as con:
        con.execute("CREATE TABLE scratch (x INTEGER)")
        con.execute("INSERT INTO scratch VALUES (1)")
    with pytest.raises(duckdb.ConnectionException):
        con.execute("SELECT 1")
    with pytest.raises(ZeroDivisionError), reading(db_path) as con:
        assert con.execute("SELECT count(*) FROM cities").fetchone()[0] > 0  # migrated and seeded
        raise ZeroDivisionError
    with pytest.raises(duckdb.ConnectionException):
        con.execute("SELECT 1")
    with writing(db_path, upgrade=False) as con:  # the file is free again for a writer
        assert con.execute("SELECT x FROM scratch").fetchall() == [(1,)]


def test_a_missing_database_is_explained(tmp_path):
    with pytest.raises(DatabaseError) as raised, reading(tmp_path / "none.duckdb"):
        pass
    assert "n'existe pas encore" in raised.value.fr and "python -m etl demo" in raised.value.en


@pytest.mark.parametrize(
    ("error", "fr", "en"),
    [
        (
            duckdb.IOException('Could not set lock on file "x": Conflicting lock is held'),
            "utilisée en écriture",
            "being written",
        ),
        (duckdb.IOException("Corrupt database file: checksum does not match"), "endommagée", "restore"),
        (duckdb.IOException('Cannot open file "x": Permission denied'), "lecture seule", "cannot be written"),
        (duckdb.IOException('Cannot open file "x": Read-only file system'), "lecture seule", "cannot be written"),
        (duckdb.CatalogException("Table with name records does not exist!"), "n'est pas à jour", "migrate"),
        (duckdb.IOException("disk I/O error"), "Impossible de lire ou d'écrire", "Cannot read or write"),
    ],
)
def test_operational_faults_are_worded_in_both_languages(tmp_path, error, fr, en):
    problem = explain(error, tmp_path / "base.duckdb")
    assert fr in problem.fr and en in problem.en
    assert str(tmp_path / "base.duckdb") in problem.fr and str(tmp_path / "base.duckdb") in problem.en


def test_every_fault_has_both_languages():
    for code, (fr, en) in DATABASE_MESSAGES.items():
        assert fr and en and fr != en, code
