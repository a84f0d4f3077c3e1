"""Deployment settings, read from environment variables (documented in docs/deployment.md).

Every setting has a safe default; nothing here is a secret (OIDC secrets live in
`.streamlit/secrets.toml`, which is never committed).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from etl.paths import DATA_DIR

TRUE = {"1", "true", "yes", "oui", "on"}
DEMO_DB = DATA_DIR / "demo.duckdb"  # the database `make run` builds and serves in demo mode


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUE


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    demo: bool  # ENGAGEMENT_DEMO: no password, a role switcher, writes only to demo data
    viewers_sign_in: bool  # ENGAGEMENT_VIEWERS_SIGN_IN: dashboards also need a sign-in
    upload_max_mb: int  # ENGAGEMENT_UPLOAD_MAX_MB: largest file a city team may upload
    max_failed_logins: int  # ENGAGEMENT_MAX_FAILED_LOGINS: failed sign-ins on a login from a client before it waits
    lockout_minutes: int  # ENGAGEMENT_LOCKOUT_MINUTES: the window failures are counted over
    trusted_proxy: str | None  # ENGAGEMENT_TRUSTED_PROXY: the reverse proxy whose X-Forwarded-For is believed
    download_seconds: float  # ENGAGEMENT_DOWNLOAD_SECONDS: a file built on click leaves the media store after this


@dataclass(frozen=True)
class Limits:
    """What one input file may hold: past a limit, reading stops with a message that names
    the limit and the fix. Each is an environment variable for an operator (README,
    "Limits"); the defaults are far above any city's file and keep one file under 1 GiB."""

    rows: int  # ENGAGEMENT_MAX_ROWS: lines after the header, blank ones included
    columns: int  # ENGAGEMENT_MAX_COLUMNS: cells of the header line
    sheets: int  # ENGAGEMENT_MAX_SHEETS: XLSX sheets searched for the header
    cells: int  # ENGAGEMENT_MAX_CELLS: rows x columns of the area an XLSX sheet spans
    cell_chars: int  # ENGAGEMENT_MAX_CELL_CHARS: characters in one cell (a long report fits)
    line_bytes: int  # ENGAGEMENT_MAX_LINE_KB: bytes in one CSV line
    member_bytes: int  # ENGAGEMENT_MAX_XLSX_PART_MB: inflated size of one part (sheet) of an XLSX
    inflation_ratio: int  # ENGAGEMENT_MAX_INFLATION_RATIO: inflated / compressed size of an XLSX part
    export_rows: int  # ENGAGEMENT_MAX_EXPORT_ROWS: lines of one CSV of a platform export (Decidim, CONSUL)
    export_bytes: int  # ENGAGEMENT_MAX_EXPORT_MB: inflated size of the CSV files of a platform export ZIP
    problems_kept: int  # ENGAGEMENT_MAX_PROBLEMS: problems described in a report (all are counted)
    problems_per_code: int  # ENGAGEMENT_PROBLEMS_PER_CODE: kept first for each problem code
    concurrent_reads: int  # ENGAGEMENT_CONCURRENT_READS: uploads read and checked at once by the dashboard


def limits() -> Limits:
    """The input limits of this process, read now (tests and operators change them)."""
    return Limits(
        rows=max(1, _int("ENGAGEMENT_MAX_ROWS", 2_000_000)),
        columns=max(1, _int("ENGAGEMENT_MAX_COLUMNS", 500)),
        sheets=max(1, _int("ENGAGEMENT_MAX_SHEETS", 50)),
        cells=max(1, _int("ENGAGEMENT_MAX_CELLS", 10_000_000)),
        cell_chars=max(1, _int("ENGAGEMENT_MAX_CELL_CHARS", 500_000)),
        line_bytes=max(1, _int("ENGAGEMENT_MAX_LINE_KB", 2048)) * 1024,
        member_bytes=max(1, _int("ENGAGEMENT_MAX_XLSX_PART_MB", 256)) * 1024 * 1024,
        inflation_ratio=max(1, _int("ENGAGEMENT_MAX_INFLATION_RATIO", 200)),
        export_rows=max(1, _int("ENGAGEMENT_MAX_EXPORT_ROWS", 200_000)),
        export_bytes=max(1, _int("ENGAGEMENT_MAX_EXPORT_MB", 64)) * 1024 * 1024,
        problems_kept=max(1, _int("ENGAGEMENT_MAX_PROBLEMS", 1000)),
        problems_per_code=max(1, _int("ENGAGEMENT_PROBLEMS_PER_CODE", 20)),
        concurrent_reads=max(1, _int("ENGAGEMENT_CONCURRENT_READS", 2)),
    )


def settings() -> Settings:
    """The settings of this process, read now (tests change the environment)."""
    return Settings(
        demo=_flag("ENGAGEMENT_DEMO"),
        viewers_sign_in=_flag("ENGAGEMENT_VIEWERS_SIGN_IN"),
        upload_max_mb=max(1, _int("ENGAGEMENT_UPLOAD_MAX_MB", 20)),
        max_failed_logins=max(1, _int("ENGAGEMENT_MAX_FAILED_LOGINS", 5)),
        lockout_minutes=max(1, _int("ENGAGEMENT_LOCKOUT_MINUTES", 15)),
        trusted_proxy=os.environ.get("ENGAGEMENT_TRUSTED_PROXY", "").strip() or None,
        download_seconds=max(1, _int("ENGAGEMENT_DOWNLOAD_SECONDS", 30)),
    )
