"""Shared fixtures: real DuckDB files in tmp_path, the fixture files, a demo database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl.db import open_database

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's, installed by .ci/run
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def con(db_path):
    """A migrated database with the reference cities, in a temporary file."""
    connection = open_database(db_path)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def check_con(tmp_path_factory):
    """One migrated database for tests that only read and validate (nothing is loaded)."""
    connection = open_database(tmp_path_factory.mktemp("check") / "check.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def write_csv(tmp_path):
    """Write text as a file and return its path: write_csv("a.csv", "x;y\\n", "cp1252")."""

    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def run_cli(
    *args: str, db: Path | None = None, cwd: Path = ROOT, timeout: int = 300, input: str | None = None
) -> subprocess.CompletedProcess:
    """Run `python -m etl ...` as a user would, in a subprocess (`input`: its standard input)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if db is not None:
        env["ENGAGEMENT_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
    )


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A database filled by `python -m etl demo` (the default ~3,000 records), built once."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo database that a test may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


def run_app(monkeypatch, db: Path, page: str | None = None, **query):
    """AppTest of the whole app (dashboard.py) on `db`, at `page` (e.g. "app_pages/city.py")
    with URL query parameters `query` (a list value gives a repeated parameter)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ENGAGEMENT_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.fixture(scope="module")
def browser():
    """Chromium driven by Playwright (browser test modules skip, or fail on CI, without it)."""
    from playwright.sync_api import expect, sync_playwright

    # An expectation waits until it holds: as long as a rerun may take on two busy cores
    # (Playwright's 5 s default is shorter than a slide move under the whole suite's load).
    expect.set_options(timeout=30_000)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    yield context.new_page()
    context.close()


def pytest_collection_modifyitems(config, items):
    """Browser tests drive a real Chromium against a real server on a 2-core machine that
    runs the rest of the suite too: a late paint or download can miss its timeout. Each
    such test gets one more try (pytest-rerunfailures); its assertions are unchanged, a
    real failure fails both tries, and `-rR` (pyproject.toml) lists every rerun in the summary."""
    for item in items:
        if item.fspath.basename.startswith("test_browser"):
            item.add_marker(pytest.mark.flaky(reruns=1))
