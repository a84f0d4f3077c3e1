"""Backup and restore through the command line: a round trip gives every table back, row
for row, with the original files; a restore refuses what it should and never leaves a
half-written database."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import duckdb
import pytest

from etl import archive
from etl.db import DatabaseError, open_database
from etl.load import Upload, load_file, rollback
from service import backup
from tests.conftest import FIXTURES, ROOT, run_cli


def tables(db) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(backup.table_counts(con))
    finally:
        con.close()


def differing_rows(a, b, table: str) -> int:
    """Rows of `table` in one database and not in the other, either way (as multisets)."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
        one = con.execute(f"SELECT count(*) FROM (FROM a.{table} EXCEPT ALL FROM b.{table})").fetchone()[0]
        two = con.execute(f"SELECT count(*) FROM (FROM b.{table} EXCEPT ALL FROM a.{table})").fetchone()[0]
        return one + two
    finally:
        con.close()


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def varied_db(demo_db, demo_copy, tmp_path):
    """The demo data (with its original files) plus a real load, a rolled-back load and the
    same records in another file (unchanged): every bookkeeping table has rows."""
    shutil.copytree(f"{demo_db}.files", f"{demo_copy}.files")
    resaved = tmp_path / "resaved.csv"
    resaved.write_bytes((FIXTURES / "utf8_bom.csv").read_bytes() + b"\n")
    con = open_database(demo_copy)
    try:
        load_file(con, FIXTURES / "utf8_bom.csv", user="alice")
        undone = load_file(con, FIXTURES / "semicolon_cp1252.csv", user="bob")
        rollback(con, undone.load_id, user="carol")
        assert load_file(con, resaved, user="bob").unchanged > 0
        # Cells fixed in the browser: a corrected copy loaded, the XLSX as uploaded kept.
        workbook = FIXTURES / "excel_dates.xlsx"
        original = Upload("bilan.xlsx", workbook.read_bytes(), "xlsx", None, None, "Feuil1", 1)
        corrected = tmp_path / "bilan (corrigé).csv"
        corrected.write_text(
            "id_activite;ville;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues\n"
            "X-1;Lyon;2024-05-02;atelier;concertation;1;30;2\n",
            encoding="utf-8",
        )
        assert load_file(con, corrected, user="erin", original=original).status == "loaded"
    finally:
        con.close()
    return demo_copy


def test_round_trip_gives_back_every_table_and_the_original_files(varied_db, tmp_path):
    saved = run_cli("backup", str(tmp_path / "backup"), "--db", str(varied_db))
    assert saved.returncode == 0, saved.stderr
    assert "✔ Sauvegarde" in saved.stdout
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["records"] > 3000 and manifest["tables"]["load_keys"] > 0
    assert manifest["files"]["missing"] == []
    assert not list(tmp_path.glob("backup.partial-*"))

    restored = tmp_path / "restored" / "engagement.duckdb"
    done = run_cli("--lang", "en", "restore", str(tmp_path / "backup"), "--db", str(restored))
    assert done.returncode == 0, done.stderr
    assert f"restored from {tmp_path / 'backup'}" in done.stdout and "match the manifest" in done.stdout

    assert tables(restored) == tables(varied_db)
    for table in tables(varied_db):
        assert differing_rows(varied_db, restored, table) == 0, table
    con = open_database(restored)
    try:
        loads = con.execute("SELECT load_id, sha256, original_sha256 FROM loads ORDER BY load_id").fetchall()
        for load_id, digest, uploaded in loads:  # every file, as uploaded and as loaded, comes back
            assert hashlib.sha256(archive.original(con, load_id)[1]).hexdigest() == uploaded
            assert hashlib.sha256(archive.original(con, load_id, loaded=True)[1]).hexdigest() == digest
        assert sum(digest != uploaded for _, digest, uploaded in loads) == 1  # the corrected one
        assert {d for _, d, _ in loads} | {u for _, _, u in loads} <= set(manifest["files"]["sha256"])
        # The sequences went along: the next load gets the next number.
        after = load_file(con, FIXTURES / "comma_english_headers.csv", user="dave")
        assert after.status == "loaded" and after.load_id == loads[-1][0] + 1
    finally:
        con.close()


def test_restore_refuses_an_existing_database_unless_forced(demo_copy, tmp_path):
    assert run_cli("backup", str(tmp_path / "b"), "--db", str(demo_copy)).returncode == 0
    target = tmp_path / "target.duckdb"
    open_database(target).close()
    before = sha(target)
    refused = run_cli("restore", str(tmp_path / "b"), "--db", str(target))
    assert refused.returncode == 1 and "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert sha(target) == before

    forced = run_cli("restore", str(tmp_path / "b"), "--db", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    (kept,) = tmp_path.glob("target.duckdb.replaced-*")
    assert sha(kept) == before and str(kept) in forced.stdout
    assert differing_rows(demo_copy, target, "records") == 0
    assert not list(tmp_path.glob("target.duckdb.restore-*"))


def test_restore_over_a_damaged_database(demo_copy, tmp_path):
    """The reason to restore: the file is garbage (and a stale WAL must not be replayed)."""
    assert run_cli("backup", str(tmp_path / "b"), "--db", str(demo_copy)).returncode == 0
    target = tmp_path / "broken.duckdb"
    target.write_bytes(b"\x00garbage" * 1000)
    (tmp_path / "broken.duckdb.wal").write_bytes(b"stale")
    done = run_cli("restore", str(tmp_path / "b"), "--db", str(target), "--force")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "broken.duckdb.wal").exists()
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 3000
    con.close()


def damage(folder, how: str) -> str:
    """Spoil a backup in one way; return a phrase the refusal must contain."""
    if how == "manifest-count":
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["tables"]["records"] += 1
        path.write_text(json.dumps(manifest), encoding="utf-8")
        return "ne correspond pas à son manifeste"
    if how == "parquet-truncated":
        path = folder / "database" / "records.parquet"
        path.write_bytes(path.read_bytes()[:1000])
        return "ne peut pas être importée"
    if how == "original-altered":
        path = next((folder / "files").iterdir())
        path.write_bytes(path.read_bytes() + b"x")
        return "absent ou altéré"
    if how == "newer-version":
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["app"]["migrations"].append("999_from_the_future.sql")
        path.write_text(json.dumps(manifest), encoding="utf-8")
        return "version plus récente"
    if how == "manifest-incomplete":
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        del manifest["files"]
        path.write_text(json.dumps(manifest), encoding="utf-8")
        return "est incomplet"
    if how == "not-a-backup":
        (folder / "manifest.json").unlink()
        return "n'est pas une sauvegarde"
    raise ValueError(how)


@pytest.mark.parametrize(
    "how",
    ["manifest-count", "manifest-incomplete", "parquet-truncated", "original-altered", "newer-version", "not-a-backup"],
)
def test_a_damaged_backup_is_refused_and_the_database_untouched(demo_db, tmp_path, how):
    folder = tmp_path / "b"
    backup.backup(demo_db, folder)
    phrase = damage(folder, how)
    target = tmp_path / "live.duckdb"
    shutil.copy(demo_db, target)
    before = sha(target)
    refused = run_cli("restore", str(folder), "--db", str(target), "--force")
    assert refused.returncode == 1 and phrase in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert sha(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "live.duckdb"]  # nothing added, nothing left


def test_backup_refusals(demo_db, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    full = run_cli("backup", str(tmp_path / "full"), "--db", str(demo_db))
    assert full.returncode == 1 and "n'est pas vide" in full.stderr
    nothing = run_cli("backup", str(tmp_path / "b"), "--db", str(tmp_path / "missing.duckdb"))
    assert nothing.returncode == 1 and "Rien à sauvegarder" in nothing.stderr
    assert not (tmp_path / "b").exists()
    (tmp_path / "empty").mkdir()  # an empty folder (a mount point) is fine
    assert run_cli("backup", str(tmp_path / "empty"), "--db", str(demo_db)).returncode == 0


HOLD = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()"


def test_restore_waits_for_a_writer_then_refuses(demo_db, tmp_path, monkeypatch):
    folder = tmp_path / "b"
    backup.backup(demo_db, folder)
    target = tmp_path / "busy.duckdb"
    shutil.copy(demo_db, target)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(backup, "LOCK_WAIT_S", 0.5)
        with pytest.raises(DatabaseError, match="ouverte par un autre programme"):
            backup.restore(folder, target, force=True)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert not list(tmp_path.glob("busy.duckdb.restore-*")) and not list(tmp_path.glob("*.replaced-*"))
    assert backup.restore(folder, target, force=True).replaced is not None  # free again: it goes through
