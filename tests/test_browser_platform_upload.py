"""Platform exports on the Upload page, in a real browser (demo mode): a Pabulib .pb file
uploaded by an editor of Kraków (French), and a Decidim open-data ZIP by an editor of
Grenoble (English) whose budget lacks its voters and dates, given in the grid; both
recognised, shown with their provenance, checked and loaded through the usual journey.
Screenshots in tests/artifacts/."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from tests import platform_exports as px
from tests.conftest import ARTIFACTS, FIXTURES
from tests.test_browser import expect, serving, wait_for_run
from tests.test_browser_figures import STREAMLIT_ENGLISH, VISIBLE_TEXT

KRAKOW_PB = FIXTURES / "platforms" / "pabulib" / "Poland_Krakow_2022_Stare_Miasto.pb"
GRENOBLE = "200040715"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, demo_db):
    folder = tmp_path_factory.mktemp("platforms")
    db = folder / "demo.duckdb"
    shutil.copy(demo_db, db)
    shutil.copytree(f"{demo_db}.files", f"{db}.files")
    with serving(db, env={"ENGAGEMENT_DEMO": "1"}) as url:
        yield url, db


def type_into(page, row: int, right: int, value: str) -> None:
    """Type `value` into the cell `right` columns after the first one, on `row` of the export grid."""
    grid = page.locator(".st-key-upload_export_grid [data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    grid.click(position={"x": 15, "y": 35 + 35 * row + 17})
    for _ in range(right):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    overlay = page.locator(".gdg-input").first
    expect(overlay).to_be_visible(timeout=30_000)
    overlay.fill(value)
    overlay.press("Enter")
    expect(grid.locator(f"[data-testid='glide-cell-{right}-{row}']")).to_have_text(value)


def test_pabulib_file_in_french(demo_server, browser):
    url, db = demo_server
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{url}/deposer?demo_role=editor&demo_city=PL-krakow")
        expect(page.get_by_role("heading", name="Déposer des données")).to_be_visible(timeout=60_000)
        wait_for_run(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(KRAKOW_PB)
        expect(
            page.get_by_text(
                "Export reconnu — Fichier Pabulib : Kraków 2022 Stare Miasto, 19 projets, 1\u202f074 votants"
            )
        ).to_be_visible(timeout=60_000)
        grid = page.locator(".st-key-upload_export_grid [data-testid='stDataFrame']")
        expect(grid.locator("[data-testid='glide-cell-0-0']")).to_have_text(
            re.compile(r"Poland_Krakow_2022_Stare_Miasto\.pb › META, l\. 3")
        )
        wait_for_run(page)
        assert not STREAMLIT_ENGLISH.findall(page.evaluate(VISIBLE_TEXT))
        page.screenshot(path=ARTIFACTS / "platform_pabulib_fr.png", full_page=True)
        page.get_by_role("button", name="Vérifier ces activités").click()
        expect(page.get_by_text("Aucune erreur : 1 activité prête à être chargée.")).to_be_visible(timeout=60_000)
        wait_for_run(page)
        page.get_by_role("button", name="Charger 1 activité").click()
        expect(page.get_by_text(re.compile(r"1 nouvelles? activités?"))).to_be_visible(timeout=60_000)
        kept = page.get_by_text(re.compile(r"Fichier déposé : « Poland_Krakow_2022_Stare_Miasto\.pb »"))
        expect(kept).to_be_visible()
        page.screenshot(path=ARTIFACTS / "platform_pabulib_loaded_fr.png", full_page=True)
    finally:
        context.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT nb_participants, niveau_engagement FROM activities WHERE id_activite = ?",
            ["pabulib-poland-krakow-2022-stare-miasto"],
        ).fetchone()
        formats = con.execute("SELECT file_format FROM loads ORDER BY load_id DESC LIMIT 1").fetchone()
    finally:
        con.close()
    assert row == (1074, "co_decision") and formats == ("pabulib",)


def test_decidim_zip_in_english_with_figures_given_in_the_grid(demo_server, browser, tmp_path):
    url, db = demo_server
    locales = ["fr", "en"]
    data = px.open_data_zip(
        {
            "meetings": px.meetings_csv("0.30", locales, [px.meeting(1, locales), px.meeting(2, locales)]),
            "projects": px.projects_csv("0.30", locales, [px.project(i, locales, selected=i == 1) for i in (1, 2, 3)]),
        }
    )
    path = tmp_path / "grenoble-open-data.zip"
    path.write_bytes(data)
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{url}/deposer?lang=en&demo_role=editor&demo_city={GRENOBLE}")
        expect(page.get_by_role("heading", name="Upload data")).to_be_visible(timeout=60_000)
        wait_for_run(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(path)
        expect(
            page.get_by_text("Export recognised — Decidim export, 2 files: 2 meetings, 3 budget projects")
        ).to_be_visible(timeout=60_000)
        expect(page.get_by_text(re.compile("Some figures the contract needs are missing"))).to_be_visible()
        expect(page.get_by_text(re.compile(r'Enter it in the "Participants" column'))).to_be_visible()
        assert "--set" not in page.evaluate(VISIBLE_TEXT)  # the page speaks of the page
        wait_for_run(page)
        # The budget (third row): its start date and its voters.
        type_into(page, 2, 3, "2024-05-02")
        type_into(page, 2, 7, "640")
        page.screenshot(path=ARTIFACTS / "platform_decidim_en.png", full_page=True)
        page.get_by_role("button", name="Check these activities").click()
        expect(page.get_by_text("No error: 3 activities ready to load.")).to_be_visible(timeout=60_000)
        wait_for_run(page)
        page.get_by_role("button", name="Load 3 activities").click()
        expect(page.get_by_text(re.compile(r"3 new activities"))).to_be_visible(timeout=60_000)
        page.screenshot(path=ARTIFACTS / "platform_decidim_loaded_en.png", full_page=True)
    finally:
        context.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        budget = con.execute(
            "SELECT nb_participants, date_debut::VARCHAR, nb_propositions_retenues FROM activities WHERE id_activite = ?",
            ["decidim-participer-example-eu-budget-5"],
        ).fetchone()
    finally:
        con.close()
    assert budget == (640, "2024-05-02", 1)
