"""The journey of a city team in a real browser (demo mode, as an editor of Grenoble): its
French report, an XLSX with title rows and the header on row 3, read with its own headers;
a cell fixed in place; the load; the City page it links to (which filters nothing);
History, which says before asking whether the load can be undone, and gives back the file
as uploaded, byte for byte, and the corrected copy that was loaded; the persona kept by a
reload. Screenshots in French and English go to tests/artifacts/."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime

import duckdb
import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import expect, serving, wait_for_run
from tests.test_browser_figures import STREAMLIT_ENGLISH, VISIBLE_TEXT

GRENOBLE = "200040715"
HEADERS = [
    "N° fiche", "Ville", "Intitulé", "Date", "Type d'activité", "Niveau", "Nb séances", "Nb participants",
    "Propositions retenues", "Dont femmes", "Coût TTC (€)",
]  # fmt: skip
ROWS = [
    ["GRE-24-01", "Grenoble", "Atelier « Rues apaisées »", date(2024, 3, 14), "Atelier", "Concertation", 2, 48, 5, 25, 1250.5],
    ["GRE-24-02", "Grenoble", "Réunion publique énergie", date(2024, 4, 2), "Réunion publique", "Information", 1, "quarante", 0, None, 300],
    ["GRE-24-03", "Grenoble", "Budget participatif été", date(2024, 5, 10), "Budget participatif", "Co-décision", 3, 210, 12, 101, 15000],
]  # fmt: skip


def grenoble_workbook(path) -> bytes:
    """What a French city team sends: a title, a subtitle, the header on row 3, real dates,
    and one participants count written in words (line 5)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Bilan 2024")
    sheet.write(0, 0, "Bilan 2024 des activités de participation — Grenoble-Alpes Métropole")
    sheet.write(1, 0, "Service Participation citoyenne, décembre 2024")
    sheet.write_row(2, 0, HEADERS)
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for i, row in enumerate(ROWS, start=3):
        for j, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(i, j, datetime(value.year, value.month, value.day), day)
            elif value is not None:
                sheet.write(i, j, value)
    book.close()
    return path.read_bytes()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, demo_db):
    """The dashboard in demo mode on a copy of the demo data (with its original files)."""
    folder = tmp_path_factory.mktemp("journey")
    db = folder / "demo.duckdb"
    shutil.copy(demo_db, db)
    shutil.copytree(f"{demo_db}.files", f"{db}.files")
    with serving(db, env={"ENGAGEMENT_DEMO": "1"}) as url:
        yield url, db


def fix_first_cell(page, value: str) -> None:
    """Type `value` into the first column at fault of the first rejected row (the editor
    lists the columns at fault first, after the line number)."""
    editor = page.locator(".st-key-upload_editor [data-testid='stDataFrame']")
    editor.scroll_into_view_if_needed()
    editor.click(position={"x": 15, "y": 35 + 17})  # the line number of the first row
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # opens the cell's editor: wait for it, then replace its text
    overlay = page.locator(".gdg-input").first
    expect(overlay).to_be_visible(timeout=30_000)
    overlay.fill(value)
    overlay.press("Enter")
    expect(editor.locator("[data-testid='glide-cell-1-0']")).to_have_text(value)


def test_an_xlsx_fixed_in_place_is_loaded_and_its_original_comes_back_byte_for_byte(demo_server, browser, tmp_path):
    url, db = demo_server
    ARTIFACTS.mkdir(exist_ok=True)
    workbook = tmp_path / "grenoble_bilan_2024.xlsx"
    original = grenoble_workbook(workbook)
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{url}/deposer?demo_role=editor&demo_city={GRENOBLE}")
        expect(page.get_by_role("heading", name="Déposer des données")).to_be_visible(timeout=60_000)
        wait_for_run(page)
        uploader = page.locator(".st-key-upload_file")
        expect(uploader.get_by_role("button", name="Choisir un fichier")).to_be_visible()
        expect(uploader.get_by_text("20 Mo par fichier • CSV, TXT, TSV, XLSX, PB, ZIP")).to_have_count(
            0
        )  # written by CSS
        assert "20 Mo par fichier • CSV, TXT, TSV, XLSX, PB, ZIP" in page.evaluate(VISIBLE_TEXT)
        assert not STREAMLIT_ENGLISH.findall(page.evaluate(VISIBLE_TEXT))
        page.screenshot(path=ARTIFACTS / "journey_upload_fr.png", full_page=True)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(workbook)

        # Read as it is: the sheet, the header on row 3, every French header recognised.
        expect(
            page.get_by_text(re.compile(r"Format XLSX .* en-tête à la ligne 3 · 3 lignes de données"))
        ).to_be_visible(timeout=60_000)
        assert page.get_by_text("Ces colonnes ne correspondent à aucun champ").count() == 0
        expect(page.get_by_text(re.compile(r"^1 erreur sur 1 ligne : "))).to_be_visible()
        expect(page.get_by_text(re.compile(r"Ligne 5 · Nb participants"))).to_be_visible()
        assert page.get_by_text("apparaît déjà à la ligne").count() == 0
        assert not STREAMLIT_ENGLISH.findall(page.evaluate(VISIBLE_TEXT))  # the file chosen, the editor
        page.screenshot(path=ARTIFACTS / "journey_xlsx_error_fr.png", full_page=True)

        # Fixed in place: the corrected copy is checked again, line numbers those of the sheet.
        fix_first_cell(page, "40")
        page.get_by_role("button", name="Revalider avec mes corrections").click()
        expect(page.get_by_text("Aucune erreur : 3 activités prêtes à être chargées.")).to_be_visible(timeout=60_000)
        expect(page.get_by_text(re.compile("le fichier déposé sera gardé tel quel"))).to_be_visible()
        wait_for_run(page)
        page.get_by_role("button", name="Charger 3 activités").click()
        expect(page.get_by_text(re.compile(r"3 nouvelles activités"))).to_be_visible(timeout=60_000)
        kept = page.get_by_text(re.compile(r"Fichier déposé : « grenoble_bilan_2024\.xlsx »"))
        expect(kept).to_contain_text("XLSX, feuille « Bilan 2024 », en-tête à la ligne 3")
        expect(kept).to_contain_text("copie corrigée")
        page.screenshot(path=ARTIFACTS / "journey_loaded_fr.png", full_page=True)

        # The link opens the City page; it does not filter the other pages.
        page.get_by_role("link", name="Voir la page de Grenoble-Alpes Métropole").click()
        expect(page.get_by_role("heading", name="Ville", exact=True)).to_be_visible(timeout=60_000)
        wait_for_run(page)
        assert f"ville={GRENOBLE}" in page.url and not re.search(r"[?&]city=", page.url)
        page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Vue d'ensemble").click()
        # every city with a population (112 in the demo, less Sarajevo and Gozo), not Grenoble alone
        expect(page.get_by_text(re.compile(r"parmi 110 villes"))).to_be_visible(timeout=60_000)

        # History: how the file was read, both files to download, the rollback said first.
        page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Historique").click()
        expect(page.get_by_role("heading", name="Historique des chargements")).to_be_visible(timeout=60_000)
        wait_for_run(page)
        expect(page.get_by_text(re.compile(r"^Annuler ce chargement retire 3 versions d'activités"))).to_be_visible()
        page.screenshot(path=ARTIFACTS / "journey_history_fr.png", full_page=True)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Télécharger le fichier déposé (XLSX)").click()
        assert download.value.suggested_filename == "grenoble_bilan_2024.xlsx"
        assert download.value.path().read_bytes() == original  # byte for byte
        wait_for_run(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Télécharger la copie corrigée chargée (CSV)").click()
        corrected = download.value.path().read_bytes().decode("utf-8")
        assert "Réunion publique énergie" in corrected and ";40;" in corrected and "quarante" not in corrected

        # A reload keeps the persona: the load and a rollback are the editor's.
        page.reload()
        wait_for_run(page)
        assert page.get_by_role("combobox", name="Rôle").input_value() == "éditeur de ville"
        assert page.get_by_role("combobox", name="Ville de l'équipe").input_value() == "Grenoble-Alpes Métropole"
        page.goto(page.url.replace("?", "?lang=en&", 1))
        expect(page.get_by_role("heading", name="Load history")).to_be_visible(timeout=60_000)
        wait_for_run(page)
        expect(page.get_by_role("button", name="Download the file uploaded (XLSX)")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "journey_history_en.png", full_page=True)
    finally:
        context.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            """SELECT file_name, file_format, sheet, header_line, corrected_file_name, user_name
               FROM loads ORDER BY load_id DESC LIMIT 1"""
        ).fetchone()
    finally:
        con.close()
    assert row == (
        "grenoble_bilan_2024.xlsx",
        "xlsx",
        "Bilan 2024",
        3,
        "grenoble_bilan_2024 (corrigé).csv",
        "demo-editor",
    )
