"""How long a failed local sign-in takes, by kind of failure (issue 20): an unknown login,
a wrong password, an account that signs in through SSO only, and a client that must wait.
Every kind should take the same time (one argon2id verification), so that timing tells
nobody whether a login exists. Writes bench/results/sign_in.json.

    .venv/bin/python bench/sign_in.py [--repeats 30] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ENGAGEMENT_MAX_FAILED_LOGINS"] = "1000000"  # count failures without making anyone wait

from etl.access import AccessDenied  # noqa: E402
from etl.db import open_database  # noqa: E402
from service.accounts import add_account, authenticate  # noqa: E402

PASSWORD = "a long enough passphrase"


def timed(con, login: str, password: str, client: str) -> float:
    started = time.perf_counter()
    try:
        authenticate(con, login, password, client=client)
    except AccessDenied:
        pass
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "sign_in.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        con = open_database(Path(folder) / "bench.duckdb")
        add_account(con, "alice@example.org", "editor", ["69123"], PASSWORD)
        add_account(con, "bob@example.org", "coordinator")  # SSO only
        kinds = {
            "unknown login": ("nobody@example.org", "wrong password!"),
            "wrong password": ("alice@example.org", "wrong password!"),
            "SSO-only account": ("bob@example.org", "wrong password!"),
            "right password": ("alice@example.org", PASSWORD),
        }
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        for n in range(args.repeats):  # interleaved, so that a slower moment hits every kind
            for kind, (login, password) in kinds.items():
                times[kind].append(timed(con, login, password, f"198.51.100.{n % 250}"))
        os.environ["ENGAGEMENT_MAX_FAILED_LOGINS"] = "1"  # now every client above must wait
        times["client must wait"] = [
            timed(con, "nobody@example.org", "wrong password!", f"198.51.100.{n % 250}") for n in range(args.repeats)
        ]
        con.close()
    result = {
        kind: {"median_ms": round(statistics.median(v), 1), "p90_ms": round(sorted(v)[int(0.9 * len(v))], 1)}
        for kind, v in times.items()
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"repeats": args.repeats, "results": result}, indent=2) + "\n", encoding="utf-8")
    for kind, figures in result.items():
        print(f"{kind:18} median {figures['median_ms']:6.1f} ms   p90 {figures['p90_ms']:6.1f} ms")


if __name__ == "__main__":
    main()
