"""Real-browser journeys of accounts and uploads: a city editor signs in, uploads a
French-Excel file with an error, fixes it in place and loads it; sign-in through an
OpenID Connect provider (a mock on loopback); an editor cannot reach another city."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import ARTIFACTS, run_cli
from tests.test_browser import _free_port, expect, running, serving, wait_for_run

LYON, PARIS = "69123", "75056"
PASSWORD = "correct horse battery staple"
# What a Lyon team exports from French Excel: cp1252, ';', decimal commas, dd/mm/yyyy,
# and one error (line 3: participants written in words).
LYON_FILE = (
    "Identifiant de l'activité;Ville;Titre;Date de début;Méthode;Niveau d'engagement;Nombre de séances;"
    "Nombre de participants;Propositions retenues;Coût (€)\r\n"
    "LYON-J-1;Lyon;Atelier « rues apaisées »;14/03/2025;atelier;concertation;2;48;5;1 250,50\r\n"
    "LYON-J-2;Lyon;Réunion publique énergie;02/04/2025;reunion_publique;information;1;quarante;0;300\r\n"
    "LYON-J-3;Lyon;Budget participatif été;10/05/2025;budget_participatif;co_decision;3;210;12;15 000\r\n"
).encode("cp1252")


@pytest.fixture(scope="module")
def accounts_db(tmp_path_factory, demo_db):
    """A copy of the demo data with a Lyon editor and a coordinator (local passwords)."""
    folder = tmp_path_factory.mktemp("accounts")
    db = folder / "engagement.duckdb"
    shutil.copy(demo_db, db)
    shutil.copytree(demo_db.parent / f"{demo_db.name}.files", folder / f"{db.name}.files")
    for login, role, cities in [("lyon@example.org", "editor", [LYON]), ("coord@example.org", "coordinator", [])]:
        args = ["users", "add", login, "--role", role, *[x for c in cities for x in ("--city", c)], "--password-stdin"]
        result = subprocess.run(
            [sys.executable, "-m", "etl", *args, "--db", str(db)], input=PASSWORD + "\n", capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    return db


@pytest.fixture(scope="module")
def local_server(accounts_db):
    with serving(accounts_db) as url:
        yield url


def _sign_in(page, url: str, login: str) -> None:
    page.goto(f"{url}/connexion")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Connecté :")).to_be_visible(timeout=30_000)


def _sidebar_link(page, name: str):
    return page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=name)


def _activities_figure(page) -> int:
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Activités").first
    return int(re.sub(r"\D", "", metric.locator("[data-testid='stMetricValue']").inner_text()))


def _lyon_activities(browser, url: str) -> int:
    """The Lyon page's activities figure, as a visitor sees it (dashboards are public)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{url}/ville?city={LYON}")
        wait_for_run(page)
        return _activities_figure(page)
    finally:
        context.close()


def test_editor_uploads_fixes_in_place_and_sees_the_city_change(accounts_db, local_server, browser, page, tmp_path):
    before = _lyon_activities(browser, local_server)
    _sign_in(page, local_server, "lyon@example.org")

    _sidebar_link(page, "Déposer des données").click()
    expect(page.get_by_role("heading", name="Déposer des données")).to_be_visible(timeout=30_000)
    source = tmp_path / "lyon_activites.csv"
    source.write_bytes(LYON_FILE)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(source)
    expect(page.get_by_text("encodage cp1252")).to_be_visible(timeout=60_000)
    # The error, at its line, in words.
    problem = page.get_by_text(re.compile(r"Ligne 3 · Nombre de participants"))
    expect(problem).to_be_visible()
    expect(page.get_by_text("« quarante »")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "upload_error_fr.png", full_page=True)

    # Fix the file, as a team would in its spreadsheet, and upload it again.
    fixed = tmp_path / "lyon_activites_corrige.csv"
    fixed.write_bytes(LYON_FILE.replace(b";quarante;", b";40;"))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(fixed)
    expect(page.get_by_text("Aucune erreur : 3 activités prêtes à être chargées.")).to_be_visible(timeout=60_000)

    page.get_by_role("button", name="Charger 3 activités").click()
    expect(page.get_by_text(re.compile(r"3 nouvelles activités"))).to_be_visible(timeout=60_000)
    page.screenshot(path=ARTIFACTS / "upload_loaded_fr.png", full_page=True)
    page.get_by_role("link", name="Voir la page de Lyon").click()
    wait_for_run(page)
    assert _activities_figure(page) == before + 3
    assert _lyon_activities(browser, local_server) == before + 3  # and for everyone else
    con = duckdb.connect(str(accounts_db), read_only=True)
    try:
        fixed = con.execute("SELECT nb_participants FROM activities WHERE id_activite = 'LYON-J-2'").fetchall()
    finally:
        con.close()
    assert fixed == [(40,)]


def test_editor_cannot_reach_another_city(local_server, page):
    _sign_in(page, local_server, "lyon@example.org")
    _sidebar_link(page, "Déposer des données").click()
    city = page.get_by_role("combobox", name="Ville du fichier")
    expect(city).to_have_value("Lyon", timeout=30_000)
    city.click()
    options = page.get_by_role("option")
    expect(options).to_have_count(1)  # only Lyon can be chosen
    page.keyboard.press("Escape")
    _sidebar_link(page, "Historique").click()
    expect(page.get_by_role("heading", name="Historique des chargements")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"vos villes \(Lyon\)"))).to_be_visible()
    # Another city's files are not listed, and a typed URL does not bypass the role.
    assert page.get_by_text("75056.csv").count() == 0
    page.goto(f"{local_server}/historique")  # a new session: not signed in any more
    expect(page.get_by_role("heading", name="Historique des chargements")).to_have_count(0, timeout=30_000)
    expect(_sidebar_link(page, "Historique")).to_have_count(0)


@pytest.fixture(scope="module")
def oidc_provider():
    port = _free_port()
    claims = {"sub": "lyon-team", "email": "oidc.lyon@example.org", "name": "Équipe Lyon"}
    command = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--user-claims", json.dumps(claims)]
    url, path = f"http://127.0.0.1:{port}", "/.well-known/openid-configuration"
    with running(command, f"oidc_provider_{port}", url, path=path):
        yield url


def test_oidc_sign_in_against_a_mock_provider(oidc_provider, accounts_db, browser, tmp_path):
    result = run_cli(
        "users", "add", "oidc.lyon@example.org", "--role", "editor", "--city", LYON, "--oidc-only", db=accounts_db
    )
    assert result.returncode == 0, result.stderr
    port = _free_port()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "engagement-dashboard"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with serving(accounts_db, args=("--secrets.files", str(secrets_file)), port=port) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        page = context.new_page()
        try:
            page.goto(f"{url}/connexion")
            page.get_by_role("button", name="Se connecter avec le compte de mon organisation").click()
            # The provider's own page: pick the predefined user.
            page.wait_for_url(re.compile(re.escape(oidc_provider)), timeout=30_000)
            page.get_by_role("button", name="lyon-team").click()
            page.wait_for_url(re.compile(re.escape(url)), timeout=30_000)
            expect(page.get_by_text("Connecté :")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Équipe Lyon")).to_be_visible()
            expect(_sidebar_link(page, "Déposer des données")).to_be_visible()
            page.screenshot(path=ARTIFACTS / "signin_oidc_fr.png", full_page=True)
        finally:
            context.close()


def test_hostile_cells_are_shown_as_text_in_the_browser(local_server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _sign_in(page, local_server, "coord@example.org")
    _sidebar_link(page, "Déposer des données").click()
    payload = "<img src=x onerror=alert(1)>"
    source = tmp_path / "hostile.csv"
    source.write_text(
        "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues\n"
        f"H-1;Lyon;<script>alert(2)</script>;2025-03-14;atelier;concertation;2;{payload};3\n",
        encoding="utf-8",
    )
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(source)
    expect(page.get_by_text(f"« {payload} »", exact=False)).to_be_visible(timeout=60_000)
    assert page.locator("img[src='x']").count() == 0 and page.locator("main script").count() == 0
    assert dialogs == []
