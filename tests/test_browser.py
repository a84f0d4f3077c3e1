"""Real-browser journeys: Playwright driving Debian's Chromium against a real server.

Screenshots are written to tests/artifacts/ for people to look at."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, CHROMIUM, ROOT

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing on CI: .ci/run must install it")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import expect


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60, path: str = "/_stcore/health"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(encoding='utf-8')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}{path}", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)  # server not listening yet: poll again
    raise TimeoutError(url)


@contextmanager
def running(command: list[str], name: str, url: str, path: str = "/_stcore/health", **kwargs) -> Iterator[str]:
    """Start a server process, wait until `url + path` answers, yield `url`; stop it on leaving.

    Its output goes to tests/artifacts/<name>.log, not to a pipe that nobody reads while
    the tests run (a full pipe would block the server on its next log line)."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"{name}.log"
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, **kwargs)
    try:
        _wait_healthy(url, proc, log, path=path)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def serving(db, env: dict | None = None, args: tuple[str, ...] = (), port: int | None = None):
    """`streamlit run dashboard.py` on `db`, with extra environment variables and options:
    a context manager yielding the base URL once the health check answers."""
    port = port or _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
    env = {**os.environ, "ENGAGEMENT_DB": str(db), "PYTHONPATH": str(ROOT), **(env or {})}
    return running([*command, *args], f"streamlit_{port}", f"http://127.0.0.1:{port}", cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def server(demo_db):
    with serving(demo_db) as url:
        yield url


PAGES = {  # url path -> (charts of the first view with the demo data, heading in French, in English)
    "": (3, "Vue d'ensemble", "Overview"),
    "ville": (3, "Ville", "City"),  # trend, then the open tab: funnel and method × level
    "comparer": (2, "Comparer des villes", "Compare cities"),  # small multiples, then the open tab: levels
    "degres": (3, "Degrés d'engagement", "Degrees of engagement"),  # scale, per city, then the open tab: depth
    "donnees": (0, "Données", "Data"),
}


def wait_for_run(page) -> None:
    """Until the app's script run is over and every chart has drawn its SVG."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))",
        timeout=60_000,
    )
    # Widgets load their front-end code lazily: wait until the sidebar's filters are drawn (the
    # cities, then the expander of the others: ui/filters.py).
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.locator(".st-key-flt_city [data-testid='stMultiSelect']")).to_have_count(1, timeout=60_000)
    expect(sidebar.locator(".st-key-flt_more [data-testid='stExpander']")).to_have_count(1, timeout=60_000)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_draws_its_charts(server, page, path, lang):
    charts, heading_fr, heading_en = PAGES[path]
    page.goto(f"{server}/{path}?lang={lang}")
    expect(page.get_by_role("heading", name=heading_fr if lang == "fr" else heading_en, exact=True)).to_be_visible(
        timeout=60_000
    )
    expect(page.locator(".js-plotly-plot")).to_have_count(charts, timeout=60_000)
    wait_for_run(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_role("dialog").count() == 0  # e.g. "Page not found"
    if path == "donnees":
        expect(page.locator("[data-testid='stTable']").first).to_be_visible(timeout=60_000)
    if path == "":
        expect(page.locator("[data-testid='stMetric']")).to_have_count(7)
        expect(page.locator(".js-plotly-plot .barlayer .trace")).to_have_count(10)  # 5 levels, in 2 charts
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{path or 'overview'}_{lang}.png", full_page=True)


def test_a_tab_draws_its_content_when_opened_and_stays_in_the_url(server, page):
    page.goto(f"{server}/ville")
    wait_for_run(page)
    expect(page.locator(".js-plotly-plot")).to_have_count(3)
    assert page.locator("[data-testid='stDataFrame']").count() == 0  # the table waits for its tab
    page.get_by_role("tab", name="Ses activités").click()
    expect(page.locator("[data-testid='stDataFrame']")).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(r"[?&]tab=activities"), timeout=30_000)
    wait_for_run(page)
    expect(page.locator(".js-plotly-plot")).to_have_count(1)  # the trend; the other tabs' charts are gone
    assert page.locator("[data-testid='stException']").count() == 0


def test_filters_follow_the_user_from_page_to_page(server, page):
    page.goto(f"{server}/?city=69123&city=75056")
    wait_for_run(page)
    page.get_by_role("link", name="Comparer").click()
    expect(page.get_by_role("heading", name="Comparer des villes", exact=True)).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(re.escape(f"{server}/comparer?city=69123&city=75056")), timeout=30_000)


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
    with serving(demo_db) as url:
        page.goto(f"{url}/?lang=en")
        expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Language")).to_be_visible()
        assert page.get_by_role("dialog").count() == 0


def test_dark_theme_follows_the_system(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(f"{server}/?lang=en")
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
        background = page.evaluate("getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
        red, green, blue = (int(x) for x in background[background.index("(") + 1 : -1].split(",")[:3])
        assert max(red, green, blue) < 60, background
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=ARTIFACTS / "overview_dark.png", full_page=True)
    finally:
        context.close()


def test_a_chart_opens_its_data_and_downloads_it_as_french_csv(server, browser):
    """Under every chart: its summary, then "Données et téléchargements" with its table and files."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/")
        wait_for_run(page)
        summary = page.locator("[data-testid='stCaptionContainer']", has_text="parmi").first
        expect(summary).to_contain_text("participations pour 10 000 habitants")  # the map's sentence
        assert page.locator("[data-testid='stDownloadButton']").count() == 0  # built only when opened
        page.get_by_text("Données et téléchargements").first.click()
        expect(page.locator("[data-testid='stDataFrame']")).to_have_count(1, timeout=60_000)
        wait_for_run(page)  # the files are built on click by the server: not while a run is going on
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Données CSV").click()
        text = download.value.path().read_bytes().decode("utf-8")
        assert text.startswith("\ufeffVille;Nom local;Activités;Participations;")
        assert download.value.suggested_filename == "carte_des_villes.csv"
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()
