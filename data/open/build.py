"""Build data/open/ from the original Pabulib files, through the importer.

    python data/open/build.py --git PATH/TO/pabulib_files      # a clone of github.com/pabulib/pabulib_files
    python data/open/build.py --dir PATH/TO/pb_files           # a folder of .pb files

Every `.pb` file of Kraków, Warszawa, Wrocław, Łódź and Amsterdam (city-wide and
district budgets, every edition) is read by `etl.sources.pabulib` and checked by the
ordinary validation (`etl.load.check_file`), exactly as `python -m etl load FILE.pb`
would; each file that passes becomes one row of `records/pabulib_<city>.csv` (the
contract's columns, its link the file on GitHub at the commit read). `manifest.csv`
lists every file considered: its blob id, the activity it gave, or why it was left
out. `SOURCE.md` says where the figures come from and how Pabulib asks to be cited.
`python -m etl demo --open-data` builds a database from `records/`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from etl.db import open_database  # noqa: E402
from etl.load import check_file  # noqa: E402
from etl.schema import load_schema  # noqa: E402
from etl.sources import ExportError, SourceOptions, read_export  # noqa: E402

OUT = Path(__file__).resolve().parent
REPOSITORY = "https://github.com/pabulib/pabulib_files"
# The cities of the open data (reference codes) and the file-name prefixes that hold them;
# the city itself is read from each file's META `unit`, never from its name.
CITIES = {
    "PL-krakow": "Poland_Krakow",
    "PL-warszawa": "Poland_Warszawa",
    "PL-wroclaw": "Poland_Wroclaw",
    "PL-lodz": "Poland_Lodz",
    "NL-amsterdam": "Netherlands_Amsterdam",
}


def from_git(gitdir: Path) -> tuple[str, Iterator[tuple[str, str, bytes | None]]]:
    """(commit, iterator of (file name, blob id, bytes or None when absent))."""

    def git(*args: str, **kw):
        return subprocess.run(["git", "-C", str(gitdir), *args], check=True, capture_output=True, **kw)

    commit = git("rev-parse", "HEAD", text=True).stdout.strip()
    listing = git("ls-tree", "-r", "HEAD", "pb_files", text=True).stdout.splitlines()
    wanted = []
    for line in listing:
        meta, path = line.split("\t", 1)
        name = path.rsplit("/", 1)[-1]
        if name.endswith(".pb") and name.startswith(tuple(CITIES.values())):
            wanted.append((name, meta.split()[2]))

    def blobs():
        with subprocess.Popen(
            ["git", "-C", str(gitdir), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        ) as proc:
            for name, blob in sorted(wanted):
                proc.stdin.write(blob.encode() + b"\n")
                proc.stdin.flush()
                head = proc.stdout.readline().split()
                if len(head) < 3 or head[1] != b"blob":  # listed, but not in this (shallow) copy
                    yield name, blob, None
                    continue
                data = proc.stdout.read(int(head[2]))
                proc.stdout.read(1)
                yield name, blob, data
            proc.stdin.close()

    return commit, blobs()


def from_dir(folder: Path) -> tuple[str, Iterator[tuple[str, str, bytes | None]]]:
    def files():
        for path in sorted(folder.glob("*.pb")):
            if path.name.startswith(tuple(CITIES.values())):
                data = path.read_bytes()
                blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # git's blob id
                yield path.name, blob, data

    return "", files()


def build(commit: str, files, out: Path = OUT) -> dict:
    schema = load_schema()
    rows: dict[str, list[dict]] = {code: [] for code in CITIES}
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        con = open_database(Path(tmp) / "build.duckdb")
        for name, blob, data in files:
            entry = {"file": name, "blob": blob, "city": "", "id_activite": "", "status": "", "reason": ""}
            manifest.append(entry)
            if data is None:
                entry.update(status="absent", reason="not in the copy read (a shallow snapshot)")
                continue
            try:
                export = read_export(con, data, name, SourceOptions(channel="cli"))
            except ExportError as exc:
                entry.update(status="left out", reason=" | ".join(p.message("en") for p in exc.problems))
                continue
            report, result = check_file(con, Path(name), data=data)
            if result is not None:
                from etl.readers import drop_raw

                drop_raw(con, result.raw.table)
            activity = export.activities[0]
            values = dict(activity.values)
            code = _code(con, values["ville"])
            entry.update(city=code, id_activite=values["id_activite"])
            if report.status == "rejected":
                entry.update(status="left out", reason=" | ".join(p.message("en") for p in report.errors))
                continue
            if code not in CITIES:
                entry.update(status="left out", reason=f"{values['ville']} is not one of the open data's cities")
                continue
            warnings = [p.message("en") for p in report.problems if not p.is_error]
            entry.update(status="loaded", reason=" | ".join(warnings))
            values["url_source"] = f"{REPOSITORY}/blob/{commit}/pb_files/{name}" if commit else None
            rows[code].append(values)
        con.close()
    records = out / "records"
    records.mkdir(parents=True, exist_ok=True)
    for old in records.glob("*.csv"):
        old.unlink()
    for code, city_rows in rows.items():
        if not city_rows:
            continue
        city_rows.sort(key=lambda r: (r["date_debut"] or "", r["id_activite"]))
        with (records / f"pabulib_{code.split('-', 1)[1]}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=schema.names, delimiter=";", lineterminator="\n")
            writer.writeheader()
            for row in city_rows:
                writer.writerow({n: row.get(n) or "" for n in schema.names})
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(manifest[0]), delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(manifest)
    counts = {code: len(r) for code, r in rows.items()}
    return {"commit": commit, "files": len(manifest), "rows": counts, "manifest": manifest}


def _code(con, name: str) -> str:
    row = con.execute("SELECT code FROM cities WHERE nom = ?", [name]).fetchone()
    return row[0] if row else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--git", type=Path, help="a clone of pabulib/pabulib_files (its git directory)")
    source.add_argument("--dir", type=Path, help="a folder of .pb files")
    args = parser.parse_args(argv)
    commit, files = from_git(args.git) if args.git else from_dir(args.dir)
    result = build(commit, files)
    by_status: dict[str, int] = {}
    for entry in result["manifest"]:
        by_status[entry["status"]] = by_status.get(entry["status"], 0) + 1
    print(f"commit {commit or '—'}: {result['files']} files, {by_status}")
    print("rows per city:", result["rows"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
