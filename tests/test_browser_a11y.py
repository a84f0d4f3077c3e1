"""Accessibility checked by a tool: axe-core (tests/vendor/axe-core, injected by Playwright)
on every page and in presentation mode, in French and English, in the light theme and
(a few pages) in the dark one: no critical or serious violation. And every control speaks the page's language: no English name left on a
French page (Streamlit writes "Help for …", "Remove …", "… start date" in English).

Violations that come from Streamlit itself and that the app cannot change would be listed
in STREAMLIT with the Streamlit issue; with the themes' reds and the captions' colour
(.streamlit/config.toml, ui/widget_texts.CONTRAST) and the names ui/widget_texts gives
Streamlit's controls, none is left at these levels with Streamlit 1.67."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_browser import serving

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PAGES = ["", "ville", "comparer", "degres", "suites", "donnees", "presenter", "deposer", "historique", "administration"]
SERIOUS = ("critical", "serious")
# (rule id, a part of the failing element's HTML) -> the Streamlit issue. Empty: see above.
STREAMLIT: dict[tuple[str, str], str] = {}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => %s.includes(v.impact)).flatMap(v => v.nodes.map(n => ({
    id: v.id, impact: v.impact, help: v.help, target: n.target.join(' '), html: n.html.slice(0, 200)})));
}"""
SETTLED = """() => !document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')
  && [...document.querySelectorAll('[data-testid="stElementContainer"]')]
       .every(e => e.offsetParent === null || getComputedStyle(e).opacity === '1')"""
ENGLISH = re.compile(
    r"^(Help for |Remove |Shortcut |Open$|Close$|Clear all$|Main menu$|Sidebar$|Search$|Zoom( in| out)?$|Pan$|Autoscale$)|(start|end) date$"
)


@pytest.fixture(scope="module")
def server(demo_db):
    with serving(demo_db, env={"ENGAGEMENT_DEMO": "1"}) as url:
        yield url


@pytest.fixture(params=["light"])
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme=request.param)
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def settle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))"
    )
    # Widgets load their front-end code lazily (a skeleton meanwhile) and Streamlit fades an
    # element in: scan once every element is drawn and opaque.
    page.wait_for_function(SETTLED)


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE % list(SERIOUS))
    return [v for v in found if not any(v["id"] == rule and part in v["html"] for rule, part in STREAMLIT)]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violation_on_any_page(server, page, path):
    page.goto(f"{server}/{path}?demo_role=admin&lang=fr")
    settle(page)
    assert violations(page) == []
    names = page.evaluate(
        "() => [...document.querySelectorAll('[aria-label], [title]')]"
        ".flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title')]).filter(Boolean)"
    )
    assert [n for n in names if ENGLISH.search(n)] == []  # "Aide : Villes", not "Help for Villes"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_serious_violation_in_presentation_mode(server, page, lang):
    page.goto(f"{server}/presenter?present=1&slide=2&lang={lang}")
    settle(page)
    assert violations(page) == []


@pytest.mark.parametrize("page", ["dark"], indirect=True)
@pytest.mark.parametrize("path", ["?", "comparer?", "deposer?", "presenter?present=1&slide=2&"])
def test_axe_finds_no_serious_violation_in_the_dark_theme(server, page, path):
    """The dark theme follows the viewer's system: its captions, reds, chosen values and
    the slide (dark on white whatever the theme) are checked too."""
    page.goto(f"{server}/{path}demo_role=admin&lang=fr")
    settle(page)
    assert page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stApp]')).colorScheme") == "dark"
    assert violations(page) == []
