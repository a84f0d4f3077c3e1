"""The Follow-up page in Chromium, in French and in English: its key figures, its five
charts drawn (funnel bars with the median diamonds, delay classes, ranking, ratios with the
reference line at 1, returning share), the city focus from the URL, a chart's data table in
the page's language. Screenshots in tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, CHROMIUM

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import expect

from tests.test_browser import serving, wait_for_run

WORDS = {
    "fr": {
        "heading": "Suites données aux propositions",
        "figure": "Taux de réponse",
        "steps": ["Reçues", "Ayant reçu une réponse", "Retenues", "Mises en œuvre"],
        "median": "Médiane des villes de la mission",
        "data": "Données et téléchargements",
        "step_column": "Étape",
        "ratio_axis": "Part parmi les participations / part parmi les habitants",
    },
    "en": {
        "heading": "Follow-up of the proposals",
        "figure": "Answer rate",
        "steps": ["Received", "Answered", "Adopted", "Implemented"],
        "median": "Median of the mission cities",
        "data": "Data and downloads",
        "step_column": "Step",
        "ratio_axis": "Share among participations / share among inhabitants",
    },
}


@pytest.fixture(scope="module")
def server(demo_db):
    with serving(demo_db) as url:
        yield url


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_follow_up_page_in_the_browser(server, page, lang):
    words = WORDS[lang]
    page.goto(f"{server}/suites?lang={lang}&ville=69123")
    expect(page.get_by_role("heading", name=words["heading"], exact=True)).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot")).to_have_count(5, timeout=60_000)
    wait_for_run(page)
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.locator("[data-testid='stMetric']")).to_have_count(7)
    expect(page.locator("[data-testid='stMetric']").first).to_contain_text(words["figure"])
    funnel, delays, ranking, ratios, returning = (page.locator(".js-plotly-plot").nth(i) for i in range(5))
    # The funnel: four bars in the page's language, the median's four diamonds, the city's name.
    expect(funnel.locator(".barlayer .point")).to_have_count(4)
    expect(funnel.locator(".scatterlayer .point")).to_have_count(4)
    for step in words["steps"]:
        expect(funnel.locator(".xtick text", has_text=step)).to_have_count(1)
    expect(funnel.locator(".legend")).to_contain_text("Lyon")
    expect(funnel.locator(".legend")).to_contain_text(words["median"])
    assert "ville=69123" in page.url  # the focus stays in the link
    expect(delays.locator(".barlayer .point")).to_have_count(6)
    assert ranking.locator(".barlayer .point").count() >= 10
    # The ratios: two groups of dots, the dashed reference line at 1.
    expect(ratios.locator(".scatterlayer .trace")).to_have_count(3)  # the gaps, then the two groups
    expect(ratios.locator(".shapelayer path")).to_have_count(1)
    expect(ratios.locator(".xtitle")).to_contain_text(words["ratio_axis"])
    assert returning.locator(".scatterlayer .point").count() >= 8
    page.screenshot(path=str(ARTIFACTS / f"follow_up_{lang}.png"), full_page=True)
    # The funnel's data, in the page's language.
    page.get_by_text(words["data"]).first.click()
    table = page.locator("[data-testid='stDataFrame']").first
    expect(table).to_be_visible(timeout=60_000)
    expect(table).to_contain_text(words["step_column"])
    ratios.scroll_into_view_if_needed()
    ratios.screenshot(path=str(ARTIFACTS / f"follow_up_ratios_{lang}.png"))
