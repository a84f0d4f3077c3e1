"""Real-browser journeys: Playwright driving Debian's Chromium against a real server.

Screenshots are written to tests/artifacts/ for people to look at."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing on CI: .ci/run must install it")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)  # server not listening yet: poll again
    raise TimeoutError(url)


def _start_server(db) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "ENGAGEMENT_DB": str(db), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, proc)
    return proc, url


@pytest.fixture(scope="module")
def server(demo_db):
    proc, url = _start_server(demo_db)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_draws_its_chart(server, page, lang):
    page.goto(f"{server}/?lang={lang}")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    expect(page.locator("[data-testid='stMetric']")).to_have_count(7)
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=30_000)  # map, ladder, trend
    expect(page.locator(".js-plotly-plot .barlayer .trace")).to_have_count(10)  # 5 levels, in 2 charts
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_role("dialog").count() == 0  # e.g. "Page not found"
    title = "Vue d'ensemble" if lang == "fr" else "Overview"
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"overview_{lang}.png", full_page=True)


def test_language_switch_keeps_a_shareable_url(server, page):
    page.goto(f"{server}/")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    page.get_by_role("radio", name="English").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page).to_have_url(f"{server}/?lang=en")
    page.goto(f"{server}/?lang=en")  # the URL alone restores the language
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=30_000)


def test_link_as_first_request_after_start_runs_the_frame(demo_db, page):
    """A shared link opened right after a server start gets the whole app (sidebar,
    language from the URL), not a page run on its own."""
    proc, url = _start_server(demo_db)
    try:
        page.goto(f"{url}/?lang=en")
        expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Language")).to_be_visible()
        assert page.get_by_role("dialog").count() == 0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
