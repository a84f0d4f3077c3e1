"""Real-browser checks of what a city official reads on the dashboard (issue 16): one number
per measure, legends with the five levels, gap badges that point the way of their sign,
the median said truthfully, incomplete periods marked, compared cities that leave said,
numbers in the page's format, the dictionary whole, the map's size key, the presenter's
buttons, and a French page without an English widget string. Each check saves the screen
it looked at, in French and in English, in tests/artifacts/."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import expect, wait_for_run

GRENOBLE, LYON, PARIS, MUNICH = "200040715", "69123", "75056", "DE-munchen"
LEVELS = {
    "fr": ["Information", "Consultation", "Concertation", "Co-construction", "Co-décision"],
    "en": ["Information", "Consultation", "Concertation", "Co-construction", "Co-decision"],
}
MINUS = "\u2212"
# The visible text of a page: text nodes rendered, not hidden, not icon ligatures
# ("upload", "arrow_back" are glyph names of Material icons, not words).
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('[data-testid="stIconMaterial"], script, style, noscript')) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || style.display === 'none' || parseFloat(style.fontSize) === 0) continue;
    if (!el.getClientRects().length) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('*')) {  // text written by style sheets
    const after = getComputedStyle(el, '::after').content;
    if (after && after.startsWith('"')) out.push(after.slice(1, -1));
  }
  return out.join('\\n');
}"""
# What Streamlit writes in English on its own: none of it may show on a French page.
STREAMLIT_ENGLISH = re.compile(
    r"Drag and drop|\bUpload\b|\d+MB per file|Browse files|Choose an option|Choose options|Select all|"
    r"Select \d+ matches|No results|No options to select|\bempty\b|\bNone\b|\bTrue\b|\bFalse\b|Skip to main content"
)


@pytest.fixture(scope="module")
def server(demo_db):
    from tests.test_browser import serving

    with serving(demo_db) as url:
        yield url


def shot(page, name: str, element=None) -> None:
    """The page's first screen, or `element` (scrolled to) when the fixed part is below it."""
    ARTIFACTS.mkdir(exist_ok=True)
    if element is not None:
        element.scroll_into_view_if_needed()
        element.screenshot(path=ARTIFACTS / f"{name}.png")
    else:
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_run(page)


def metric(page, label: str):
    return page.locator("[data-testid='stMain'] [data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{re.escape(label)}$"))
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_city_funnel_and_the_overview_give_the_same_count(server, page, lang):
    label = "Propositions retenues" if lang == "fr" else "Proposals adopted"
    open_page(page, f"{server}/?city={GRENOBLE}&lang={lang}")
    overview = metric(page, label).locator("[data-testid='stMetricValue']").inner_text()
    shot(page, f"i16_overview_grenoble_{lang}")
    open_page(page, f"{server}/ville?ville={GRENOBLE}&lang={lang}")
    steps = page.locator(".st-key-city_funnel .funnellayer text")
    expect(steps).to_have_count(3, timeout=30_000)  # plotly writes the texts after drawing the bars
    adopted = steps.nth(2).locator("tspan.line").all_text_contents()  # the count, then the rate below it
    rate = "taux d'adoption" if lang == "fr" else "adoption rate"
    assert adopted[0] == overview and adopted[1].startswith(rate), (adopted, overview)
    summary = page.locator("[data-testid='stCaptionContainer']").filter(has_text=label.lower()).first
    expect(summary).to_contain_text(overview)
    shot(
        page,
        f"i16_city_funnel_{lang}",
        page.locator("[data-testid='stHorizontalBlock']").filter(has=page.locator(".st-key-city_funnel")).first,
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_gap_badges_point_the_way_of_their_sign(server, page, lang):
    open_page(page, f"{server}/ville?ville={GRENOBLE}&lang={lang}")
    deltas = page.locator("[data-testid='stMain'] [data-testid='stMetricDelta']")
    expect(deltas.first).to_be_visible()
    seen = set()
    for delta in deltas.all():
        value = delta.inner_text().strip()
        icon = delta.locator("svg").first.get_attribute("data-testid") if delta.locator("svg").count() else None
        colour = delta.evaluate("e => getComputedStyle(e).color")
        red, green = (int(x) for x in re.findall(r"\d+", colour)[:2])
        if value.startswith(MINUS):
            assert icon == "stMetricDeltaIcon-Down" and red > green, (value, icon, colour)
            seen.add("down")
        elif value.startswith("+"):
            assert icon == "stMetricDeltaIcon-Up" and green > red, (value, icon, colour)
            seen.add("up")
        else:  # what rounds to zero: no arrow, no sign
            assert icon is None and not value.startswith(MINUS), value
    assert "down" in seen  # Grenoble is below the median somewhere: the case of the issue
    shot(page, f"i16_city_badges_{lang}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_median_says_which_cities_it_covers(server, page, lang):
    open_page(page, f"{server}/ville?ville={GRENOBLE}&city={GRENOBLE}&lang={lang}")
    expected = (
        r"Écart à la médiane de 112 villes de la mission : les membres qui ont au moins une activité du .+\. "
        r"Le filtre « Villes » ne s'applique pas à la médiane ; les villes hors mission"
        if lang == "fr"
        else r"Difference from the median of 112 cities of the mission: the members with at least one activity from .+\. "
        r"The “Cities” filter does not apply to the median; cities outside the mission"
    )
    expect(page.get_by_text(re.compile(expected))).to_be_visible()
    assert page.get_by_text("villes retenues par les filtres").count() == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_legend_coloured_by_level_holds_the_five_levels_in_order(server, page, lang):
    """Compare with method=atelier: the first panel has no co-decision bar, the legend still
    lists the five levels, in the scale's order; the ladder's CSV lists them in that order."""
    cities = "&".join(f"compare={c}" for c in (MUNICH, "245900428", PARIS, LYON))
    open_page(page, f"{server}/comparer?method=atelier&{cities}&lang={lang}")
    for key in ("cmp_multiples", "cmp_ladder"):
        legend = page.locator(f".st-key-{key} .legend .legendtext")
        expect(legend).to_have_count(5)
        assert legend.all_text_contents() == LEVELS[lang], key
    shot(page, f"i16_compare_legend_{lang}", page.locator(".st-key-cmp_multiples"))
    page.locator(".st-key-cmp_ladder_data").get_by_text(
        "Données et téléchargements" if lang == "fr" else "Data and downloads"
    ).click()
    expect(page.locator(".st-key-cmp_ladder_csv button")).to_be_visible(timeout=60_000)
    wait_for_run(page)  # the files are built on click by the server: not while a run is going on
    with page.expect_download(timeout=60_000) as download:
        page.locator(".st-key-cmp_ladder_csv button").click()
    lines = download.value.path().read_bytes().decode("utf-8-sig").splitlines()
    separator = ";" if lang == "fr" else ","
    column = lines[0].split(separator).index("Degré d'engagement" if lang == "fr" else "Degree of engagement")
    assert [line.split(separator)[column] for line in lines[1:6]] == LEVELS[lang]


def test_a_filter_that_drops_a_compared_city_says_which(server, page):
    open_page(page, f"{server}/comparer?compare={MUNICH}&compare={PARIS}&compare={LYON}")
    countries = page.locator("[data-testid='stSidebar'] .st-key-flt_country").get_by_role("combobox")
    countries.click()
    countries.type("France")  # 35 countries: the list scrolls, typing narrows it
    page.get_by_role("option", name="France", exact=True).click()
    page.keyboard.press("Escape")
    expect(
        page.get_by_text(
            re.compile(r"Retirée de la comparaison par le filtre « Pays » \(France\) : Munich \(Allemagne\)")
        )
    ).to_be_visible(timeout=60_000)
    wait_for_run(page)
    shot(page, "i16_compare_dropped_fr")
    open_page(page, f"{server}/comparer?compare={MUNICH}&compare={PARIS}&compare={LYON}&country=FR&lang=en")
    expect(
        page.get_by_text(
            re.compile(r"Left out of the comparison by the “Countries” filter \(France\): Munich \(Germany\)")
        )
    ).to_be_visible()
    shot(page, "i16_compare_dropped_en")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_current_month_is_marked_incomplete_and_ticks_read_as_numbers(server, page, lang):
    open_page(page, f"{server}/?measure=participations&lang={lang}")
    trend = page.locator(".st-key-trend")
    today = date.today()
    if today.day != calendar.monthrange(today.year, today.month)[1]:  # on a month's last day it is whole
        note = r"Hachurés?, incomplets? : " if lang == "fr" else r"Hatched, incomplete: "
        subtitle = trend.locator(".gtitle-subtitle").get_attribute("data-unformatted")
        assert re.match(note, subtitle), subtitle  # the demo's first month may be partial too
        assert str(today.year) in subtitle and ("jusqu'au" if lang == "fr" else "up to ") in subtitle, subtitle
    expect(trend.locator(".yaxislayer-above .ytick text").first).to_be_attached(timeout=30_000)
    ticks = trend.locator(".yaxislayer-above .ytick text").all_text_contents()
    assert ticks and all(not t.endswith("k") for t in ticks), ticks
    grouped = [t for t in ticks if len(re.sub(r"\D", "", t)) >= 4]
    separator = "\u202f" if lang == "fr" else ","
    assert grouped and all(separator in t for t in grouped), ticks  # 20 000, 20,000: never 20k or 20000
    shot(page, f"i16_overview_trend_{lang}", trend)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_map_has_a_key_for_its_bubble_sizes(server, page, lang):
    open_page(page, f"{server}/?lang={lang}")
    chart = page.locator(".st-key-map")
    title = "pour 10 000 hab." if lang == "fr" else "per 10,000 inh."
    expect(chart.locator(".annotation-text").first).to_be_attached(timeout=30_000)
    notes = [" ".join(t.split()) for t in chart.locator(".annotation-text").all_text_contents()]
    assert any(title in note for note in notes), notes
    assert chart.locator(".scatterlayer .point").count() >= 2  # the reference bubbles, with their values
    shot(page, f"i16_overview_map_{lang}", chart)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_data_dictionary_is_not_cut_at_the_edge(server, page, lang):
    open_page(page, f"{server}/donnees?lang={lang}")
    main = page.locator("[data-testid='stMain'] [data-testid='stMainBlockContainer']").bounding_box()
    for table in page.locator("[data-testid='stTable']").all():
        box = table.bounding_box()
        assert box["x"] + box["width"] <= main["x"] + main["width"] + 1, box
        assert table.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the table scrolls sideways"
    shot(page, f"i16_data_dictionary_{lang}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_presenters_buttons_show_their_arrow_once(server, page, lang):
    open_page(page, f"{server}/presenter?lang={lang}")
    previous, following = ("Précédente", "Suivante") if lang == "fr" else ("Previous", "Next")
    back = page.locator(".st-key-present_prev button").first
    forward = page.locator(".st-key-present_next button").first
    assert re.sub(r"\s+", " ", back.inner_text()).strip() == f"{previous} ←"
    assert re.sub(r"\s+", " ", forward.inner_text()).strip() == f"{following} →"
    shot(page, f"i16_presenter_{lang}")


FRENCH_PAGES = [
    "/",
    f"/ville?ville={GRENOBLE}",
    f"/ville?ville={GRENOBLE}&tab=activities",
    f"/comparer?compare={MUNICH}&compare={PARIS}&compare={LYON}&country=FR",
    "/degres",
    "/donnees",
    "/donnees?tab=quality",
    "/presenter",
]


def test_a_french_page_shows_no_english_widget_string(server, page):
    for path in FRENCH_PAGES:
        open_page(page, f"{server}{path}")
        found = STREAMLIT_ENGLISH.findall(page.evaluate(VISIBLE_TEXT))
        assert not found, (path, found)
    # A filter typed into a drop-down list that matches nothing, and the skip link.
    filter_ = page.locator("[data-testid='stSidebar'] .st-key-flt_city").get_by_role("combobox")
    filter_.click()
    page.keyboard.type("zzz")
    expect(page.get_by_role("listbox")).to_be_visible()
    text = page.evaluate(VISIBLE_TEXT)
    assert "Aucun résultat" in text and not STREAMLIT_ENGLISH.findall(text), STREAMLIT_ENGLISH.findall(text)
    shot(page, "i16_no_results_fr")
    page.keyboard.press("Escape")
    open_page(page, f"{server}/ville?ville={GRENOBLE}&tab=activities")
    page.get_by_role("textbox", name="Rechercher dans les titres").fill("zzz introuvable")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("Aucune activité de la sélection n'a « zzz introuvable »"))).to_be_visible(
        timeout=60_000
    )
    assert page.locator(".st-key-city_table").count() == 0  # no table saying "empty"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_key_figure_names_are_read_whole_and_a_row_keeps_one_height(server, page, lang):
    """A quarter row at 1280 px is too narrow for some names ("Answered within 90 days",
    "Women's representation"): they wrap onto a second line instead of ending in "…", and
    the cards of the row keep one height."""
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, f"{server}/suites?lang={lang}")
    cards = page.locator("[data-testid='stMain'] [data-testid='stMetric']")
    expect(cards).to_have_count(7)
    names = cards.locator("[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer']")
    cut = names.evaluate_all("els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
    assert cut == []
    heights = cards.evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().height))")
    assert len(set(heights[:4])) == 1 and len(set(heights[4:])) == 1, heights
    shot(page, f"key_figures_suites_{lang}", page.locator(".st-key-key_figures_0"))  # the first row
