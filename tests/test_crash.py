"""A crash loop: `python -m etl load` killed with SIGKILL at random moments, many times.

tests/test_load.py kills a helper script inside its write phase a few times. Here the
real command is killed at seeded moments spread over its whole run (start-up, reading,
validation, the transaction, the commit, the close), 20 times in a row on one database.
After each kill the database opens, and its records, its loads table and the archived
original are exactly the state before that load or after it, never in between.
"""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from etl import archive
from etl.db import connect, open_database
from tests.conftest import ROOT
from tests.test_load import csv_text, rows

ROWS = 20_000
KILLS = 20


@dataclass(frozen=True)
class State:
    records: int  # current records
    value: int  # the one nb_participants value they all have
    loads: int
    last_sha: str | None


def state(db) -> State:
    """Read the database after a kill; check that the loads table agrees with the records."""
    con = connect(db)  # read-write: replays what the killed process left in the WAL
    try:
        count, values = con.execute("SELECT count(*), list(DISTINCT nb_participants) FROM activities").fetchone()
        assert len(values) == 1, f"a load was partly applied: {sorted(values)[:5]}"
        loads, last = con.execute("SELECT count(*), max(load_id) FROM loads").fetchone()
        sha, status, read, inserted, updated, unchanged = con.execute(
            "SELECT sha256, status, rows_read, inserted, updated, unchanged FROM loads WHERE load_id = ?", [last]
        ).fetchone()
        assert status == "loaded" and read == inserted + updated + unchanged
        written = con.execute("SELECT count(*) FROM records WHERE load_id = ?", [last]).fetchone()[0]
        assert written == inserted + updated, "the last load's record count disagrees with its loads row"
        original = archive.archive_dir(con) / sha
        assert hashlib.sha256(original.read_bytes()).hexdigest() == sha, "a committed load lost its original file"
        return State(count, values[0], loads, sha)
    finally:
        con.close()


def load_process(db, path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "etl", "load", str(path), "--db", str(db)]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_at_random_moments_leaves_before_or_after(tmp_path):
    db = tmp_path / "crash.duckdb"
    open_database(db).close()
    files = []
    for i in range(KILLS + 2):
        path = tmp_path / f"lyon_{i}.csv"
        path.write_text(csv_text(rows("Lyon", ROWS, participants=100 + i)), encoding="utf-8")
        files.append(path)

    assert load_process(db, files[0]).wait(timeout=300) == 0  # the first load inserts
    start = time.perf_counter()  # an uninterrupted update gives the time scale of the kills
    assert load_process(db, files[1]).wait(timeout=300) == 0
    duration = time.perf_counter() - start
    before = state(db)
    assert (before.records, before.value, before.loads) == (ROWS, 101, 2)

    rng = random.Random(20261125)
    # Stratified: one moment in each of KILLS equal slices of 1.1 × the load's duration,
    # in a shuffled order, so that every phase of the run is struck once.
    delays = [(k + rng.random()) * 1.1 * duration / KILLS for k in range(KILLS)]
    rng.shuffle(delays)
    outcomes = []
    for i, delay in enumerate(delays, start=2):
        path = files[i]
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        proc = load_process(db, path)
        try:
            proc.wait(timeout=delay)  # the random moment (or the load finished first)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=60)
        now = state(db)
        after = State(ROWS, 100 + i, before.loads + 1, sha)
        assert now in (before, after), (i, round(delay, 2), code, before, now)
        if code == 0:
            assert now == after, "a load that exited 0 must have committed"
        outcomes.append((code == -signal.SIGKILL, now == after))
        before = now

    killed = [landed for was_killed, landed in outcomes if was_killed]
    summary = f"{duration=:.2f}s, (killed, landed): {outcomes}"
    assert len(killed) >= KILLS // 2, f"only {len(killed)} of {KILLS} loads were killed: {summary}"
    assert False in killed, "no kill left the state before the load"
    assert any(landed for _, landed in outcomes), "no load ever landed: the test never saw 'after'"
