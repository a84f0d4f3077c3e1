"""One way to use the database: `reading` / `writing` blocks that always close, and the
operational faults (missing, locked, damaged, read-only) explained from one catalogue."""

from __future__ import annotations

import duckdb
import pytest

from etl.db import CONFLICT_RETRIES, DatabaseError, explain, reading, retrying_conflicts, writing
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


@pytest.fixture
def two_writers():
    """Two cursors on one database, the first holding an uncommitted update of row 1."""
    base = duckdb.connect(":memory:")
    base.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER)")
    base.execute("INSERT INTO t VALUES (1, 0)")
    other, mine = base.cursor(), base.cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("UPDATE t SET v = 1 WHERE k = 1")
    yield base, other, mine
    base.close()


def test_a_write_conflict_is_tried_again_after_the_callers_step(two_writers):
    """DuckDB's real `Conflict on update`: the caller's step (here the other transaction
    commits, as it would meanwhile) runs, and the next try goes through."""
    base, other, mine = two_writers
    steps = []

    def after_conflict():
        steps.append("conflict")
        other.execute("COMMIT")

    def write():
        mine.execute("UPDATE t SET v = v + 10 WHERE k = 1")
        return mine.execute("SELECT v FROM t").fetchall()

    assert retrying_conflicts(write, "fr", "en", pause=0, after_conflict=after_conflict) == [(11,)]
    assert steps == ["conflict"]


def test_a_write_that_keeps_conflicting_is_refused_in_the_callers_words(two_writers):
    base, other, mine = two_writers
    tries, steps = [], []

    def write():
        tries.append(1)
        return mine.execute("UPDATE t SET v = 2 WHERE k = 1").fetchall()

    with pytest.raises(DatabaseError) as raised:
        retrying_conflicts(write, "Réessayez.", "Try again.", pause=0, after_conflict=lambda: steps.append(1))
    assert (raised.value.fr, raised.value.en) == ("Réessayez.", "Try again.")
    assert len(tries) == len(steps) == CONFLICT_RETRIES  # the step follows the last conflict too
    other.execute("ROLLBACK")
    assert base.execute("SELECT v FROM t").fetchall() == [(0,)]
