"""The real open data (data/open): built from Pabulib files through the importer, loaded
by `python -m etl demo --open-data`, and named on every page."""

from __future__ import annotations

import csv
from pathlib import Path

from etl.db import connect
from queries import frame_facts
from tests.conftest import FIXTURES, ROOT, run_cli

OPEN = ROOT / "data" / "open"


def test_records_come_with_their_source_and_citation():
    source = (OPEN / "SOURCE.md").read_text(encoding="utf-8")
    assert "Faliszewski" in source and "IJCAI 2023" in source and "88cfaba" in source
    rows = [r for path in sorted((OPEN / "records").glob("*.csv")) for r in csv.DictReader(path.open(), delimiter=";")]
    assert len(rows) > 800
    assert {r["ville"] for r in rows} == {"Kraków", "Warszawa", "Wrocław", "Łódź", "Amsterdam"}
    assert all(r["url_source"].startswith("https://github.com/pabulib/pabulib_files/blob/") for r in rows)
    manifest = list(csv.DictReader((OPEN / "manifest.csv").open(encoding="utf-8"), delimiter=";"))
    assert sum(1 for m in manifest if m["status"] == "loaded") == len(rows)
    assert all(m["reason"] for m in manifest if m["status"] != "loaded")


def test_build_script_gives_the_importer_rows(tmp_path):
    """build.py on a folder of .pb files: the same row `etl load` would load."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("open_build", OPEN / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pb = FIXTURES / "platforms" / "pabulib"
    commit, files = module.from_dir(pb)
    result = module.build("abc123", files, out=tmp_path)
    assert result["rows"] == {"PL-krakow": 1, "PL-warszawa": 0, "PL-wroclaw": 0, "PL-lodz": 1, "NL-amsterdam": 1}
    statuses = {m["file"]: m["status"] for m in result["manifest"]}
    assert "France_Toulouse_2022.pb" not in statuses  # not one of the five cities
    krakow = next(csv.DictReader((tmp_path / "records" / "pabulib_krakow.csv").open(), delimiter=";"))
    assert krakow["id_activite"] == "pabulib-poland-krakow-2022-stare-miasto"
    assert krakow["nb_participants"] == "1074" and krakow["url_source"].endswith(
        "/abc123/pb_files/" + Path("Poland_Krakow_2022_Stare_Miasto.pb").name
    )


def test_demo_open_data_builds_a_database_the_frame_names(tmp_path):
    db = tmp_path / "open.duckdb"
    done = run_cli("demo", "--open-data", "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Pabulib" in done.stdout
    con = connect(db, read_only=True)
    (count,) = con.execute("SELECT count(*) FROM activities").fetchone()
    con.close()
    assert count > 800
    assert frame_facts(1, path=db).has_open_data is True
    again = run_cli("demo", "--open-data", "--db", str(db))  # rebuilt, not refused
    assert again.returncode == 0
