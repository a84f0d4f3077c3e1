"""Fuzzing the readers: hostile CSV and XLSX bytes either load or are rejected with
problems that say how to fix them; nothing else escapes, and a rejection writes nothing.

The inputs start from the fixture files (tests/fixtures/) and are mutated by hypothesis:
re-encoded in a random encoding, with a random separator, lines dropped, duplicated or
cut, random text and bytes inserted, bytes flipped, files truncated; XLSX files are
mutated as bytes and inside their ZIP members (the sheet XML, the shared strings).

The examples are derandomized (the same ones every run, no example database) so that the
test is a stable gate; FUZZ_EXAMPLES=2000 runs a longer, still deterministic, campaign.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import archive
from etl.db import DatabaseError, open_database
from etl.load import FileReport, check_file, load_file
from etl.readers import drop_raw
from tests.conftest import FIXTURES

CSV_SEEDS = {p.name: p.read_bytes() for p in sorted(FIXTURES.glob("*.csv"))}
XLSX_SEEDS = {p.name: p.read_bytes() for p in sorted(FIXTURES.glob("*.xlsx"))}
ENCODINGS = "utf-8 utf-8-sig cp1252 latin-1 utf-16 utf-16-le utf-16-be utf-32 cp850 mac_roman".split()
SEPARATORS = [";", ",", "\t", "|", " ", ":", '"', "\x00", ";;", "\r"]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "80"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def decode(data: bytes) -> str:
    """The seed's text, as the readers would see it (for mutating at the text level)."""
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


@st.composite
def text_mutation(draw, text: str) -> str:
    lines = text.splitlines(keepends=True) or [text]
    kind = draw(st.sampled_from(["none", "drop", "duplicate", "cut", "insert", "separator", "quote"]))
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    if kind == "drop":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "cut":
        lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    elif kind == "insert":
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + draw(st.text(max_size=40)) + lines[i][at:]
    elif kind == "separator":
        old = draw(st.sampled_from([";", ",", "\t", "|"]))
        return "".join(lines).replace(old, draw(st.sampled_from(SEPARATORS)))
    elif kind == "quote":
        lines[i] = lines[i].replace(";", '";', 1)
    return "".join(lines)


@st.composite
def byte_mutation(draw, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, len(out)))
        if kind == "flip" and at < len(out):
            out[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            out[at:at] = draw(st.binary(max_size=16))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        elif kind == "truncate":
            del out[at:]
    return bytes(out)


@st.composite
def hostile_csv(draw) -> bytes:
    seed = CSV_SEEDS[draw(st.sampled_from(sorted(CSV_SEEDS)))]
    text = draw(text_mutation(decode(seed)))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return draw(byte_mutation(data)) if draw(st.booleans()) else data


@st.composite
def hostile_xlsx(draw) -> bytes:
    seed = XLSX_SEEDS[draw(st.sampled_from(sorted(XLSX_SEEDS)))]
    if draw(st.booleans()):
        return draw(byte_mutation(seed))  # mostly a broken ZIP
    with zipfile.ZipFile(io.BytesIO(seed)) as book:
        members = {info.filename: book.read(info) for info in book.infolist()}
    xml = sorted(name for name in members if name.startswith("xl/") and name.endswith(".xml"))
    name = draw(st.sampled_from(xml))
    if draw(st.booleans()):
        members[name] = draw(byte_mutation(members[name]))
    else:  # valid XML bytes, hostile content: random text in place of a cell's text or number
        text = members[name].decode("utf-8")
        members[name] = draw(text_mutation(text)).encode("utf-8", errors="replace")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for member, content in members.items():
            book.writestr(member, content)
    return out.getvalue()


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    """One database for all examples, with a load already in it (so that a rejected file
    has something to leave alone and an accepted one has something to update)."""
    folder = tmp_path_factory.mktemp("fuzz")
    con = open_database(folder / "fuzz.duckdb")
    assert load_file(con, FIXTURES / "utf8_bom.csv", user="seed").status == "loaded"
    yield con, folder
    con.close()


SNAPSHOT = {
    "records": "SELECT count(*) FROM records",
    "current": "SELECT count(*) FROM records WHERE valid_to IS NULL",
    "loads": "SELECT count(*) FROM loads",
    "load_keys": "SELECT count(*) FROM load_keys",
    "events": "SELECT count(*) FROM data_events",
    "cities": "SELECT count(*) FROM cities",
    "temp_tables": "SELECT count(*) FROM duckdb_tables() WHERE temporary",
}


def snapshot(con) -> dict:
    state = {name: con.execute(sql).fetchone()[0] for name, sql in SNAPSHOT.items()}
    state["archive"] = len(list(archive.archive_dir(con).glob("*"))) if archive.archive_dir(con).exists() else 0
    return state


def assert_explained(report: FileReport) -> None:
    """Every problem has a code and a message in both languages (formatting them must not fail)."""
    for problem in report.problems:
        assert problem.code and problem.message("fr") and problem.message("en")
    if report.status == "rejected":
        assert report.errors, "a rejection must say why"


def check_one(con, folder: Path, data: bytes, suffix: str) -> str:
    """The property, for one hostile file: check_file writes nothing; load_file loads or
    rejects (writing nothing), or raises DatabaseError (writing nothing); nothing else."""
    path = folder / f"hostile{suffix}"
    path.write_bytes(data)
    before = snapshot(con)
    report, result = check_file(con, path)
    if result is not None:  # the caller drops the validation's temporary tables (as ui/upload.py does)
        drop_raw(con, result.raw.table)
    assert_explained(report)
    assert snapshot(con) == before, "check_file wrote something"
    try:
        loaded = load_file(con, path, user="fuzz")
    except DatabaseError:
        assert snapshot(con) == before
        return "database-error"
    assert_explained(loaded)
    after = snapshot(con)
    if loaded.status in ("rejected", "already-loaded"):
        assert after == before, f"a {loaded.status} file wrote something"
    else:
        assert loaded.status == "loaded" and report.status == "valid"
        assert after["loads"] == before["loads"] + 1
        assert after["records"] == before["records"] + loaded.inserted + loaded.updated
        assert loaded.rows_read - loaded.blank == loaded.inserted + loaded.updated + loaded.unchanged
    return loaded.status


@FUZZ
@given(data=hostile_csv())
def test_hostile_csv_loads_or_is_rejected_cleanly(fuzz_db, data):
    con, folder = fuzz_db
    check_one(con, folder, data, ".csv")


@FUZZ
@given(data=hostile_xlsx())
def test_hostile_xlsx_loads_or_is_rejected_cleanly(fuzz_db, data):
    con, folder = fuzz_db
    check_one(con, folder, data, ".xlsx")


def test_found_by_fuzzing_a_header_without_the_free_text_columns(fuzz_db):
    """`titre` cut to `ititre`: the stage had no clean_text() call, and DuckDB refused the
    unused `$missing_len` parameter (InvalidInputException escaped load_file)."""
    con, folder = fuzz_db
    data = "ititre;date_debut;methode;niveau_engagement;nb_seances;nb_participants\nA;2024-03-14;atelier;concertation;2;40\n"
    assert check_one(con, folder, data.encode(), ".csv") == "rejected"


def test_the_mutations_reach_both_outcomes(fuzz_db):
    """The fuzzers are not only producing garbage: some mutated files still load."""
    con, folder = fuzz_db
    seen: set[str] = set()

    @settings(max_examples=30, deadline=None, derandomize=True, database=None)
    @given(data=hostile_csv())
    def collect(data):
        seen.add(check_one(con, folder, data, ".csv"))

    collect()
    assert {"loaded", "rejected"} <= seen, seen
