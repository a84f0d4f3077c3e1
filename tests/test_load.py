"""Loading loses nothing: one transaction per file, upsert with history, rollback,
concurrent loads, and a load killed mid-way leaves the database as it was."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from etl import archive
from etl.db import DatabaseError
from etl.load import history, load_file, plan_rollback, rollback
from tests.conftest import FIXTURES, ROOT

HEADER = (
    "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues"
)


def rows(city: str, n: int, *, start: int = 1, participants: int = 40, prefix: str = "A") -> list[str]:
    return [
        f"{prefix}-{i};{city};Atelier {i};2024-03-14;atelier;concertation;2;{participants};3"
        for i in range(start, start + n)
    ]


def csv_text(lines: list[str]) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def current(con) -> list[tuple]:
    return con.execute("SELECT code_ville, id_activite, nb_participants FROM activities ORDER BY ALL").fetchall()


def test_load_then_same_file_again_changes_nothing(con, write_csv):
    path = write_csv("a.csv", csv_text(rows("Lyon", 3)))
    first = load_file(con, path, user="alice")
    assert (first.status, first.inserted, first.updated, first.unchanged) == ("loaded", 3, 0, 0)
    before = current(con)
    again = load_file(con, path, user="bob")
    assert again.status == "already-loaded"
    assert again.previous_load[0] == first.load_id
    assert current(con) == before
    assert con.execute("SELECT count(*) FROM loads").fetchone()[0] == 1


def test_same_records_in_another_file_are_unchanged(con, write_csv):
    load_file(con, write_csv("a.csv", csv_text(rows("Lyon", 3))))
    resaved = write_csv(
        "b.csv", csv_text(rows("Lyon", 3)).replace(";", ",").replace("2024-03-14", "14/03/2024"), "cp1252"
    )
    report = load_file(con, resaved)
    assert (report.status, report.inserted, report.updated, report.unchanged) == ("loaded", 0, 0, 3)


def test_changed_row_is_updated_and_previous_version_kept(con, write_csv):
    first = load_file(con, write_csv("a.csv", csv_text(rows("Lyon", 3))))
    second = load_file(con, write_csv("b.csv", csv_text(rows("Lyon", 1, participants=99) + rows("Lyon", 1, start=4))))
    assert (second.inserted, second.updated, second.unchanged) == (1, 1, 0)
    assert current(con) == [("69123", "A-1", 99), ("69123", "A-2", 40), ("69123", "A-3", 40), ("69123", "A-4", 40)]
    versions = con.execute(
        "SELECT nb_participants, load_id, superseded_by, valid_to IS NULL FROM activity_versions WHERE id_activite = 'A-1' ORDER BY valid_from"
    ).fetchall()
    assert versions == [(40, first.load_id, second.load_id, False), (99, second.load_id, None, True)]


def test_rejected_file_writes_nothing(con, write_csv):
    load_file(con, write_csv("a.csv", csv_text(rows("Lyon", 3))))
    snapshot = (
        current(con),
        con.execute("SELECT count(*) FROM loads").fetchone(),
        con.execute("SELECT count(*) FROM records").fetchone(),
    )
    bad = rows("Lyon", 2, participants=77) + ["A-9;Lyon;x;2024-03-14;atelier;concertation;2;-5;3"]
    report = load_file(con, write_csv("b.csv", csv_text(bad)))
    assert report.status == "rejected"
    assert [p.key() for p in report.errors] == [(4, "nb_participants", "out-of-range")]
    assert (
        current(con),
        con.execute("SELECT count(*) FROM loads").fetchone(),
        con.execute("SELECT count(*) FROM records").fetchone(),
    ) == snapshot


def test_every_line_is_loaded_or_reported(con, write_csv):
    """Row accounting on a file with errors and blank lines at random places."""
    rng = random.Random(7)
    lines, bad, blank = [], set(), set()
    for i in range(1, 2001):
        line_no = len(lines) + 2
        roll = rng.random()
        if roll < 0.03:
            lines.append("")
            blank.add(line_no)
        elif roll < 0.08:
            lines.append(f"A-{i};Lyon;x;2024-03-14;atelier;concertation;2;{rng.choice(['abc', '-1', ''])};3")
            bad.add(line_no)
        elif roll < 0.10:
            lines.append(f"A-{i};Lyon;x;2024-03-14;atelier")
            bad.add(line_no)
        else:
            lines.append(f"A-{i};Lyon;x;2024-03-14;atelier;concertation;2;40;3")
    report = load_file(con, write_csv("mixed.csv", csv_text(lines)))
    assert report.status == "rejected"
    assert report.rows_read == len(lines)
    assert {p.line for p in report.errors} == bad
    assert report.blank == len(blank)
    blank_problem = next(p for p in report.problems if p.code == "blank-row")
    assert blank_problem.line == min(blank)
    assert report.rows_read == report.blank + report.rejected_rows + (len(lines) - len(bad) - len(blank))
    fixed = [line for n, line in enumerate(lines, start=2) if n not in bad]
    loaded = load_file(con, write_csv("fixed.csv", csv_text(fixed)))
    assert loaded.inserted == len(fixed) - len(blank) == con.execute("SELECT count(*) FROM activities").fetchone()[0]


def test_duckdb_sniffer_case_51_good_rows_and_a_malformed_last_row(con):
    """duckdb/duckdb#25827: the sniffer can drop such a row silently; we report it."""
    report = load_file(con, FIXTURES / "extra_field_last_row.csv")
    assert report.rows_read == 52
    assert [p.key() for p in report.problems] == [(53, None, "wrong-field-count")]
    assert con.execute("SELECT count(*) FROM records").fetchone()[0] == 0


def test_city_editor_cannot_load_another_citys_rows(con, write_csv):
    """The role check lives in the data layer: calling load_file directly is refused."""
    path = write_csv("mixed.csv", csv_text(rows("Lyon", 2) + rows("Paris", 1, start=3)))
    report = load_file(con, path, allowed_cities={"69123"})
    assert report.status == "rejected"
    assert [p.key() for p in report.errors] == [(4, "ville", "forbidden-city")]
    assert "Paris" in report.errors[0].message("en")
    assert con.execute("SELECT count(*) FROM records").fetchone()[0] == 0
    assert load_file(con, path, allowed_cities={"69123", "75056"}).status == "loaded"


def test_rollback_restores_the_state_before_the_load(con, write_csv):
    a = load_file(con, write_csv("a.csv", csv_text(rows("Lyon", 3))))
    after_a = current(con)
    b = load_file(con, write_csv("b.csv", csv_text(rows("Lyon", 2, participants=50) + rows("Lyon", 2, start=10))))
    plan = plan_rollback(con, b.load_id)
    assert (plan.removes, plan.restores, plan.blocked_by) == (4, 2, [])
    with pytest.raises(DatabaseError, match="annulez-les d'abord"):
        rollback(con, a.load_id)  # b changed a's records: undo b first
    rollback(con, b.load_id, user="coord")
    assert current(con) == after_a
    assert [h["status"] for h in history(con)] == ["rolled_back", "loaded"]
    rollback(con, a.load_id)
    assert current(con) == []
    with pytest.raises(DatabaseError):
        rollback(con, a.load_id)
    # A rolled-back file can be loaded again.
    assert load_file(con, write_csv("a.csv", csv_text(rows("Lyon", 3)))).status == "loaded"


def report_sha(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_original_file_is_archived(con, db_path, write_csv):
    path = write_csv("a.csv", csv_text(rows("Lyon", 1)), "cp1252")
    report = load_file(con, path)
    assert archive.original(con, report.load_id) == ("a.csv", path.read_bytes())
    assert (db_path.parent / "test.duckdb.files" / report_sha(path)).exists()


def test_history_is_filtered_by_city(con, write_csv):
    load_file(con, write_csv("lyon.csv", csv_text(rows("Lyon", 1))))
    load_file(con, write_csv("paris.csv", csv_text(rows("Paris", 1))))
    assert [h["file_name"] for h in history(con, cities={"75056"})] == ["paris.csv"]
    assert len(history(con)) == 2


def load_at_the_same_moment(con, files) -> list:
    """Load each file on its own thread and cursor, all released at once."""
    barrier = threading.Barrier(len(files))
    reports = [None] * len(files)

    def work(i):
        cursor = con.cursor()
        barrier.wait()
        reports[i] = load_file(cursor, files[i])
        cursor.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(files))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return reports


@pytest.mark.parametrize("same_city", [False, True])
def test_concurrent_loads_both_land(con, write_csv, same_city):
    """Two threads, each with its own cursor, load at the same moment."""
    files = [
        write_csv("one.csv", csv_text(rows("Lyon", 300, prefix="X"))),
        write_csv("two.csv", csv_text(rows("Lyon" if same_city else "Paris", 300, prefix="Y"))),
    ]
    reports = load_at_the_same_moment(con, files)
    assert [r.status for r in reports] == ["loaded", "loaded"]
    assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 600


def test_concurrent_updates_of_the_same_records_both_land(con, write_csv):
    load_file(con, write_csv("base.csv", csv_text(rows("Lyon", 200))))
    files = [write_csv(f"u{n}.csv", csv_text(rows("Lyon", 200, participants=n))) for n in (51, 52)]
    reports = load_at_the_same_moment(con, files)
    assert sorted(r.status for r in reports) == ["loaded", "loaded"]
    values = {v for (v,) in con.execute("SELECT DISTINCT nb_participants FROM activities").fetchall()}
    assert len(values) == 1 and values <= {51, 52}  # the later commit wins, whole
    assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 200
    assert con.execute("SELECT count(*) FROM records").fetchone()[0] == 600  # every version kept


def test_a_load_that_keeps_conflicting_is_rolled_back_and_says_so(con, write_csv):
    """Another writer holds the same records for longer than the load's tries: the load is
    refused in its own words, rolled back after each try, and leaves no transaction open."""
    load_file(con, write_csv("base.csv", csv_text(rows("Lyon", 5))))
    before = current(con)
    other, mine = con.cursor(), con.cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("UPDATE records SET superseded_by = 0 WHERE valid_to IS NULL")  # a column the load updates
    with pytest.raises(DatabaseError) as raised:
        load_file(mine, write_csv("update.csv", csv_text(rows("Lyon", 5, participants=41))))
    other.execute("ROLLBACK")
    assert raised.value.fr == "Un autre chargement modifie les mêmes activités : réessayez."
    assert raised.value.en == "Another load is changing the same activities: try again."
    mine.execute("BEGIN TRANSACTION")  # would fail if the load had left its transaction open
    mine.execute("ROLLBACK")
    assert current(con) == before and len(history(con)) == 1


KILL_SCRIPT = """
import sys
from pathlib import Path
from etl.db import open_database
from etl.load import load_file
con = open_database(Path(sys.argv[1]))
print("ready", flush=True)
load_file(con, Path(sys.argv[2]), progress=lambda stage, f: print(stage, flush=True))
print("committed", flush=True)
"""


def test_sigkill_mid_load_leaves_before_or_after(tmp_path, write_csv):
    """Kill the loading process at random moments: the database is always whole."""
    db = tmp_path / "kill.duckdb"
    base = write_csv("base.csv", csv_text(rows("Lyon", 1000)))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "etl", "load", str(base), "--db", str(db)], env=env, check=True, capture_output=True
    )
    rng = random.Random(11)
    killed_while_writing = 0
    state = (1000, 1, 40)  # (current records, loads, participants value)
    for attempt in range(6):
        value = 100 + attempt
        big = write_csv(f"big{attempt}.csv", csv_text(rows("Lyon", 60_000, participants=value)))
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_SCRIPT, str(db), str(big)], env=env, stdout=subprocess.PIPE, text=True
        )
        for line in proc.stdout:  # wait until the load reaches its write phase
            if line.strip() == "write":
                break
        time.sleep(rng.uniform(0.0, 0.4))  # then strike at a random moment inside it
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        killed_while_writing += proc.returncode == -signal.SIGKILL
        check = duckdb.connect(str(db))  # the database opens after every kill
        count, values = check.execute("SELECT count(*), list(DISTINCT nb_participants) FROM activities").fetchone()
        (loads,) = check.execute("SELECT count(*) FROM loads").fetchone()
        check.close()
        assert len(values) == 1, f"a load was partly applied: {values}"
        now = (count, loads, values[0])
        assert now in (state, (60_000, state[1] + 1, value)), (attempt, state, now)
        state = now
    assert killed_while_writing >= 3, "the kills never landed inside a load: the test proved nothing"


def test_a_later_load_that_left_records_unchanged_does_not_block_undoing_the_one_before(con, write_csv):
    """A(A-1, A-2), then C(A-2 unchanged, A-3): undoing A removes A-1 and keeps A-2, now C's
    own record (as if A had never been loaded); undoing C afterwards removes A-2 and A-3."""
    a = load_file(con, write_csv("a.csv", csv_text(rows("Lyon", 2))))
    c = load_file(con, write_csv("c.csv", csv_text(rows("Lyon", 2, start=2))))
    assert (c.inserted, c.unchanged) == (1, 1)
    plan = plan_rollback(con, a.load_id)
    assert (plan.possible, plan.removes, plan.restores, plan.kept, plan.kept_by) == (True, 1, 0, 1, [c.load_id])
    rollback(con, a.load_id)
    kept = con.execute("SELECT id_activite, load_id FROM activities ORDER BY 1").fetchall()
    assert kept == [("A-2", c.load_id), ("A-3", c.load_id)]
    assert con.execute("SELECT count(*) FROM load_keys").fetchone()[0] == 0  # A-2 is C's own record now
    assert plan_rollback(con, c.load_id).removes == 2
    rollback(con, c.load_id)
    assert current(con) == []


def test_a_kept_record_keeps_its_earlier_version_replaced(con, write_csv):
    """A(A-1), B(A-1 changed), C(A-1 as B left it, A-5): undoing B keeps A-1 as C has it,
    and the version of A stays replaced (now by C); undoing C then brings A's version back."""
    a = load_file(con, write_csv("a.csv", csv_text(rows("Lyon", 1))))
    b = load_file(con, write_csv("b.csv", csv_text(rows("Lyon", 1, participants=50))))
    c = load_file(con, write_csv("c.csv", csv_text(rows("Lyon", 1, participants=50) + rows("Lyon", 1, start=5))))
    assert (b.updated, c.unchanged, c.inserted) == (1, 1, 1)
    assert plan_rollback(con, a.load_id).blocked_by == [b.load_id]  # B changed A's record
    plan = plan_rollback(con, b.load_id)
    assert (plan.possible, plan.removes, plan.restores, plan.kept) == (True, 0, 0, 1)
    rollback(con, b.load_id)
    assert current(con) == [("69123", "A-1", 50), ("69123", "A-5", 40)]
    versions = con.execute("SELECT load_id, superseded_by FROM records WHERE id_activite = 'A-1' ORDER BY valid_from")
    assert versions.fetchall() == [(a.load_id, c.load_id), (c.load_id, None)]
    assert plan_rollback(con, a.load_id).blocked_by == [c.load_id]
    rollback(con, c.load_id)  # C's version goes, A's comes back
    assert current(con) == [("69123", "A-1", 40)]


def test_a_corrected_copy_is_loaded_and_the_file_as_uploaded_is_kept(con, write_csv, tmp_path):
    """Cells fixed in the browser: the corrected UTF-8 CSV is loaded, the XLSX as uploaded is
    archived too, byte for byte, and the load records the upload's name, format and header line."""
    from etl.load import Upload

    original = Upload("bilan.xlsx", b"PK\x03\x04 not really a workbook", "xlsx", None, None, "Bilan", 3)
    corrected = write_csv("bilan (corrigé).csv", csv_text(rows("Lyon", 2)))
    report = load_file(con, corrected, name="bilan (corrigé).csv", original=original)
    assert report.status == "loaded" and report.uploaded == original
    row = con.execute(
        """SELECT file_name, file_format, sheet, header_line, corrected_file_name, sha256, original_sha256,
                  original_size_bytes FROM loads WHERE load_id = ?""",
        [report.load_id],
    ).fetchone()
    assert row == (
        "bilan.xlsx", "xlsx", "Bilan", 3, "bilan (corrigé).csv", report_sha(corrected), original.sha256,
        len(original.data),
    )  # fmt: skip
    assert archive.original(con, report.load_id) == ("bilan.xlsx", original.data)
    assert archive.original(con, report.load_id, loaded=True) == ("bilan (corrigé).csv", corrected.read_bytes())
    # A file loaded as it was uploaded is both.
    plain = load_file(con, write_csv("b.csv", csv_text(rows("Paris", 1))))
    assert archive.original(con, plain.load_id) == archive.original(con, plain.load_id, loaded=True)
    (format_, header, fixed) = con.execute(
        "SELECT file_format, header_line, corrected_file_name FROM loads WHERE load_id = ?", [plain.load_id]
    ).fetchone()
    assert (format_, header, fixed) == ("csv", 1, None)
