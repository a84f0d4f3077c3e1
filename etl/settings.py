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


def settings() -> Settings:
    """The settings of this process, read now (tests change the environment)."""
    return Settings(
        demo=_flag("ENGAGEMENT_DEMO"),
        viewers_sign_in=_flag("ENGAGEMENT_VIEWERS_SIGN_IN"),
        upload_max_mb=max(1, _int("ENGAGEMENT_UPLOAD_MAX_MB", 20)),
        max_failed_logins=max(1, _int("ENGAGEMENT_MAX_FAILED_LOGINS", 5)),
        lockout_minutes=max(1, _int("ENGAGEMENT_LOCKOUT_MINUTES", 15)),
        trusted_proxy=os.environ.get("ENGAGEMENT_TRUSTED_PROXY", "").strip() or None,
    )
