"""One log line per script run: which page ran and how long the server took, e.g.

    2026-11-26 04:20:01.123 page run /ville 0.214 s

Through Streamlit's logger, so `--logger.level` (or STREAMLIT_LOGGER_LEVEL) governs it
like Streamlit's own lines: `info` (the default) writes them, `warning` silences them.
Operators read the server's load from them (docs/deployment.md, "Logs"); the
simultaneous-sessions benchmark (bench/sessions.py) reads the server's own time per run
from them, apart from what the browsers on the same machine cost."""

from __future__ import annotations

from streamlit.logger import get_logger

LOG = get_logger("engagement.runs")
PREFIX = "page run"


def log_run(url_path: str, seconds: float) -> None:
    LOG.info("%s /%s %.3f s", PREFIX, url_path, seconds)
