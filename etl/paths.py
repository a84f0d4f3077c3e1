"""Where the project's files live, and which database to use."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "schema" / "activites.schema.json"
DATA_DIR = ROOT / "data"
FRAMEWORKS_DIR = DATA_DIR / "frameworks"
CITIES_FILE = DATA_DIR / "cities.csv"
DEFAULT_DB = DATA_DIR / "engagement.duckdb"
OPEN_DATA_DIR = DATA_DIR / "open" / "records"  # real published figures (data/open/SOURCE.md)
OPEN_DATA_USER = "open-data"  # the author of their loads: the dashboard names their source


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """The DuckDB file: `--db`, else $ENGAGEMENT_DB, else data/engagement.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("ENGAGEMENT_DB")
    return Path(env) if env else DEFAULT_DB
