"""Presenting in a real browser (Playwright driving Debian's Chromium): every slide at
1280×720 with no text cut off and large type, the arrow keys and Esc, auto-advance, the
live update from a command-line load, downloads, and the exported reports opened offline.

Screenshots of every slide are written to tests/artifacts/present_<lang>_<n>.png."""

from __future__ import annotations

import io
import re
import shutil
import time
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, run_cli
from tests.test_browser import serving
from tests.test_present import new_activities

# The default deck of the demo data (every mission city): trend, ladder (10 slides of 12
# cities), map, lens (10 slides), depth, adoption, scatter, then the five follow-up charts.
SLIDES = 30
CHART_SLIDES = (1, 2, 11, 12, 13, 23, 24, 25, 26, 27, 28, 29, 30)  # the first and last of each chart
WIDTH, HEIGHT = 1280, 720

# Every text of the slide must lie inside the screen and, for chart texts, inside the
# chart, and be at least 18 px (titles 28); HTML texts must not be clipped (ellipsis).
CHECK_SLIDE = """() => {
  const W = innerWidth, H = innerHeight, problems = [];
  const inside = (r, b) => r.left >= b.left - 1 && r.top >= b.top - 1 && r.right <= b.right + 1 && r.bottom <= b.bottom + 1;
  const screen = {left: 0, top: 0, right: W, bottom: H};
  const visible = (el) => { const s = getComputedStyle(el); return el.getClientRects().length && s.visibility !== 'hidden' && s.opacity !== '0'; };
  const ownText = (el) => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const main = document.querySelector('[data-testid=stMain]');
  if (document.documentElement.scrollHeight > H + 1 || main.scrollHeight > main.clientHeight + 1)
    problems.push('the slide scrolls: ' + main.scrollHeight);
  for (const el of document.querySelectorAll('.st-key-present_stage *:not(.js-plotly-plot *)')) {
    if (!visible(el) || !el.textContent.trim()) continue;
    const s = getComputedStyle(el);
    const clips = s.overflowX !== 'visible' || s.overflowY !== 'visible' || s.textOverflow === 'ellipsis';
    if (clips && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
      problems.push('clipped: ' + el.textContent);
    if (!ownText(el) || el.closest('[data-testid=stIconMaterial]')) continue;
    if (!inside(el.getBoundingClientRect(), screen)) problems.push('off screen: ' + el.textContent);
    const size = parseFloat(s.fontSize);
    if (size < (el.closest('h2') ? 28 : 18)) problems.push('small: ' + el.tagName + ' ' + el.textContent + ' ' + size);
  }
  for (const plot of document.querySelectorAll('.st-key-present_stage .js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    for (const t of plot.querySelectorAll('.main-svg text')) {
      if (!t.textContent.trim() || !visible(t)) continue;
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      if (!inside(r, box) || !inside(r, screen)) problems.push('chart text cut: ' + t.textContent);
      if (parseFloat(getComputedStyle(t).fontSize) < 18) problems.push('small chart text: ' + t.textContent);
    }
  }
  return problems;
}"""
# The chart is drawn and has taken the size its slide gives it (a stretched chart is
# first drawn at its figure's size, then at the room left by the texts).
FITTED = """() => {
  const plot = document.querySelector('.st-key-present_stage .js-plotly-plot');
  const svg = plot && plot.querySelector('.main-svg');
  if (!svg) return false;
  const room = plot.parentElement.getBoundingClientRect();
  return Math.abs(Number(svg.getAttribute('height')) - room.height) < 2 && Math.abs(Number(svg.getAttribute('width')) - room.width) < 2;
}"""
# null while the fragment redraws the slide (no chart, or a chart without its data yet)
CHART_DATA = (
    "() => { const p = document.querySelector('.st-key-present_stage .js-plotly-plot');"
    " return p && p.data ? JSON.stringify(p.data.map(t => t.y)) : null; }"
)


@pytest.fixture(scope="module")
def live_db(demo_db, tmp_path_factory):
    """A copy of the demo database that the live test loads a file into."""
    path = tmp_path_factory.mktemp("present") / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


@pytest.fixture(scope="module")
def server(live_db):
    with serving(live_db) as url:
        yield url


@pytest.fixture
def screen(browser):
    """A 1280×720 screen, as shared in a meeting."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="fr-FR")
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def wait_for_slide(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_function(FITTED)
    page.wait_for_timeout(300)  # plotly's second layout pass (automargin) settles


def _rgb_hex(css: str) -> str:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("number", CHART_SLIDES)
def test_every_slide_fits_1280x720_with_nothing_cut_off(server, screen, number, lang):
    screen.goto(f"{server}/presenter?present=1&slide={number}&lang={lang}")
    wait_for_slide(screen)
    expect(screen.locator(".present-footer", has_text=f"{number}/{SLIDES}").first).to_be_visible()
    assert screen.locator("[data-testid='stException']").count() == 0
    expect(screen.locator("[data-testid='stSidebar']")).to_be_hidden()
    expect(screen.locator("[data-testid='stHeader']")).to_be_hidden()
    expect(screen.get_by_text("ces chiffres sont synthétiques")).to_be_hidden()  # the footer says it instead
    ARTIFACTS.mkdir(exist_ok=True)
    screen.screenshot(path=ARTIFACTS / f"present_{lang}_{number}.png")
    assert screen.evaluate(CHECK_SLIDE) == []
    if number in (2, 11, 13):  # the city bar charts, 112 cities: each level's rank written on its bars
        ranks = screen.locator(".st-key-present_stage .bartext").all_text_contents()
        assert {"1", "2", "3", "4", "5"} <= set(ranks), ranks


def test_presentation_text_contrast_in_the_browser(server, screen):
    from charts.presentation import MIN_CONTRAST, contrast_ratio

    screen.goto(f"{server}/presenter?present=1")
    wait_for_slide(screen)
    background = _rgb_hex(
        screen.evaluate("getComputedStyle(document.querySelector('.st-key-present_stage')).backgroundColor")
    )
    for selector in (".st-key-present_stage h2", ".present-takeaway", ".present-footer"):
        colour = _rgb_hex(screen.evaluate(f"getComputedStyle(document.querySelector('{selector}')).color"))
        assert contrast_ratio(colour, background) >= MIN_CONTRAST, (selector, colour, background)


def test_arrow_and_page_keys_move_and_escape_leaves(server, screen):
    screen.goto(f"{server}/presenter?present=1&slide=1")
    wait_for_slide(screen)
    first = screen.locator(".st-key-present_stage h2").inner_text()
    screen.keyboard.press("ArrowRight")
    expect(screen).to_have_url(re.compile(r"slide=2"))
    expect(screen.locator(".present-footer", has_text=f"2/{SLIDES}").first).to_be_visible()
    expect(screen.locator(".st-key-present_stage h2")).not_to_have_text(first)
    screen.keyboard.press("ArrowLeft")
    expect(screen).to_have_url(re.compile(r"slide=1"))
    expect(screen.locator(".st-key-present_stage h2")).to_have_text(first)
    screen.keyboard.press("ArrowLeft")  # no slide before the first
    expect(screen.locator(".present-footer", has_text=f"1/{SLIDES}").first).to_be_visible()
    screen.keyboard.press("PageDown")  # what presentation remotes send
    expect(screen.locator(".present-footer", has_text=f"2/{SLIDES}").first).to_be_visible()
    screen.keyboard.press("PageUp")
    expect(screen.locator(".present-footer", has_text=f"1/{SLIDES}").first).to_be_visible()
    screen.keyboard.press("Escape")
    expect(screen).not_to_have_url(re.compile(r"present=1"))
    expect(screen.locator("[data-testid='stSidebar']")).to_be_visible()
    expect(screen.get_by_role("heading", name="Présenter", exact=True)).to_be_visible()


def test_auto_advance_moves_on_by_itself(server, screen):
    asked = time.monotonic()  # the slide is drawn after this: it moves on 10 s later at the earliest
    screen.goto(f"{server}/presenter?present=1&auto=10&slide=1")
    wait_for_slide(screen)
    expect(screen.locator(".present-footer", has_text=f"1/{SLIDES}").first).to_be_visible()
    expect(screen.locator(".present-footer")).to_contain_text(f"2/{SLIDES}", timeout=20_000)
    assert time.monotonic() - asked >= 10
    expect(screen).to_have_url(re.compile(r"slide=2"))


def test_slide_data_downloads_as_french_csv(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/presenter?slide=1")
        wait_for_slide(page)
        page.get_by_text("Données et téléchargements").click()
        media = []  # what the server answered for the file: says why when no download comes
        page.on("response", lambda r: media.append((r.status, r.url)) if "/media/" in r.url else None)
        try:
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name="Données CSV").click()
        except PlaywrightTimeoutError:
            said = page.get_by_test_id("stDownloadButtonError").all_inner_texts()
            pytest.fail(f"no download: /media answers {media}, the button said {said}")
        text = download.value.path().read_bytes().decode("utf-8")
        assert text.startswith("\ufeffPériode;Degré d'engagement;Activités;Participations")
        assert download.value.suggested_filename == "01_trend.csv"
    finally:
        context.close()


def test_a_file_built_on_click_outlives_other_script_runs(server, browser):
    """The slide's CSV, built on click, is still served after later script runs ended.
    Streamlit 1.67 keeps a file built on click referenced by no session, and the end of
    every script run, of any session (this page's 2-second poll, a slide move), marks
    then deletes such files: a browser slower than two runs got nothing (the test above
    missed its download in about 2 of 7 suite runs). Here the browser's own fetch is
    refused, two slide moves (each a run of the stage, then of the page) end runs after
    the click, and only then is the file asked for, as anyone with its link would."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.route("**/media/**", lambda route: route.abort())  # the file stays unfetched until asked below
    try:
        page.goto(f"{server}/presenter?slide=1")
        wait_for_slide(page)
        page.get_by_text("Données et téléchargements").click()
        with page.expect_request(lambda request: "/media/" in request.url, timeout=60_000) as built:
            page.get_by_role("button", name="Données CSV").click()
        for number in (2, 3):  # a move's page run starts after the previous run's end (and its sweep)
            page.get_by_role("button", name="Suivante").click()
            expect(page.locator(".present-footer", has_text=re.compile(rf"\b{number}/")).first).to_be_visible()
        wait_for_slide(page)
        with urllib.request.urlopen(built.value.url, timeout=30) as response:
            text = response.read().decode("utf-8")
        assert text.startswith("\ufeffPériode;Degré d'engagement;Activités;Participations")
    finally:
        context.close()


def test_the_deck_downloads_as_powerpoint(server, browser):
    from pptx import Presentation

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/presenter?charts=trend&charts=ladder")
        wait_for_slide(page)
        with page.expect_download(timeout=180_000) as download:
            page.get_by_role("button", name="PowerPoint (.pptx)").click()
        deck = Presentation(io.BytesIO(download.value.path().read_bytes()))
        assert [s.shapes.title.text for s in deck.slides] == [
            "Activités par trimestre et degré d'engagement",
            *(f"Degrés d'engagement par ville ({n}/10)" for n in range(1, 11)),
        ]
    finally:
        context.close()


def drawn_share(png: bytes) -> tuple[float, int]:
    """Of a chart's picture, the middle (10-80 % across, 10-90 % down: the plot, not its
    colour bar or legend): the share of pixels that are not white, and how many colours."""
    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    h, w, _ = image.shape
    middle = image[int(h * 0.1) : int(h * 0.9), int(w * 0.1) : int(w * 0.8)].reshape(-1, 3)
    return float((middle != 255).any(axis=1).mean()), len(np.unique(middle, axis=0))


def open_offline(browser, report, asked: list[str]):
    """A page on `report` (a file) where every request that is not for a file is refused."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})

    def only_files(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.goto(report.as_uri())
    return context, page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_report_draws_every_chart_from_a_file_with_the_network_blocked(
    browser, demo_db, monkeypatch, tmp_path, lang
):
    """Every chart of the report, the map first, is drawn: pixels in its plot area, not
    only an element (the map once showed its colour bar only, from file://)."""
    from exports.report_html import deck_html
    from queries import choices, data_version
    from queries.lenses import BASE
    from queries.selection import from_query
    from ui import slides

    monkeypatch.setenv("ENGAGEMENT_DB", str(demo_db))
    version = data_version()
    view = slides.View(from_query({}, choices(version)), version, lang, BASE, (), *slides.footer_facts(version, lang))
    keys = slides.available(view.selection)
    assert "map" in keys
    report = tmp_path / "rapport.html"
    built = slides.build_all(keys, view)
    keys = [s.key for s in built]  # the charts by city continue over several slides
    report.write_text(deck_html("Bilan", "", built, lang), encoding="utf-8")
    asked: list[str] = []
    context, page = open_offline(browser, report, asked)
    try:
        plots = page.locator(".js-plotly-plot")
        page.wait_for_function(
            f"() => document.querySelectorAll('.js-plotly-plot').length === {len(keys)}"
            " && [...document.querySelectorAll('.js-plotly-plot')].every(p => p._fullLayout && p.querySelector('.main-svg'))",
            timeout=60_000,
        )
        for number in range(len(keys)):
            plot = plots.nth(number)
            plot.scroll_into_view_if_needed()
            share, colours = drawn_share(plot.screenshot())
            assert share > 0.05 and colours > 8, (keys[number], share, colours)
        page.locator(".js-plotly-plot").nth(keys.index("map")).screenshot(
            path=ARTIFACTS / f"present_report_map_{lang}.png"
        )
        assert asked == []  # nothing was even asked of the network
        page.screenshot(path=ARTIFACTS / f"present_report_{lang}.png")
    finally:
        context.close()


def test_city_report_prints_on_one_page(browser, demo_db, monkeypatch, tmp_path):
    from queries import choices, data_version
    from queries.selection import from_query
    from ui import slides

    monkeypatch.setenv("ENGAGEMENT_DB", str(demo_db))
    version = data_version()
    selection = from_query({"city": ["69123"]}, choices(version))
    view = slides.View(selection, version, "fr", "fr", (("69123", "Lyon"),), *slides.footer_facts(version, "fr"))
    report = tmp_path / "lyon.html"
    report.write_text(slides.city_report(view), encoding="utf-8")
    context = browser.new_context(offline=True)
    page = context.new_page()
    try:
        page.goto(report.as_uri())
        expect(page.get_by_role("heading", name="Lyon — participation citoyenne")).to_be_visible()
        pdf = page.pdf(format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
        page.screenshot(path=ARTIFACTS / "present_city_report.png", full_page=True)
    finally:
        context.close()


def test_live_a_command_line_load_shows_within_10_seconds(server, screen, live_db, tmp_path):
    """Last in this file: it changes the server's database."""
    screen.goto(f"{server}/presenter?present=1&slide=1")
    wait_for_slide(screen)
    screen.evaluate("window.__samePage = true")  # gone if the page reloaded
    before, footer = screen.evaluate(CHART_DATA), screen.locator(".present-footer").inner_text()
    load = run_cli("load", str(new_activities(tmp_path / "live.csv", 7)), db=live_db)
    assert load.returncode == 0, load.stdout
    loaded = time.monotonic()
    screen.wait_for_function(
        f"(before) => {{ const now = ({CHART_DATA})(); return now !== null && now !== before; }}",
        arg=before,
        timeout=10_000,
    )
    assert time.monotonic() - loaded <= 10
    assert screen.evaluate("window.__samePage") is True
    expect(screen).to_have_url(re.compile(r"slide=1"))
    expect(screen.locator(".present-footer")).not_to_have_text(footer)  # a new "updated at", to the second
    expect(screen.locator(".present-footer")).to_contain_text(re.compile(r"mis à jour à \d\d:\d\d:\d\d"))
    expect(screen.locator(".present-takeaway")).to_contain_text("3\u202f007 activités")
