"""AppTest of the Upload, History and Sign-in pages, and of the pages each role gets."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import FIXTURES, ROOT, run_cli

LYON, PARIS = "69123", "75056"
TWO_CITIES = (FIXTURES / "utf8_bom.csv").read_bytes()  # line 2 Lyon, line 3 Paris, valid
TYPE_ERRORS = (FIXTURES / "type_errors.csv").read_bytes()
PASSWORD = "correct horse battery staple"


def app(monkeypatch, db, *, demo: bool = True, role: str | None = None, city: str | None = None, **env) -> AppTest:
    """The whole app on `db`; in demo mode with the persona `role` (and `city` for editors)."""
    monkeypatch.setenv("ENGAGEMENT_DB", str(db))
    monkeypatch.setenv("ENGAGEMENT_DEMO", "1" if demo else "0")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    if role:
        at.selectbox(key="demo_role").set_value(role).run()
    if city:
        at.selectbox(key="demo_city").set_value(city).run()
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.switch_page("app_pages/upload.py").run()
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def count(db, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_a_valid_file_is_previewed_checked_and_loaded_on_confirm(monkeypatch, demo_copy):
    before = count(demo_copy, "SELECT count(*) FROM loads")
    at = upload(app(monkeypatch, demo_copy), "../../etc/passwd.csv", TWO_CITIES)
    assert "encodage **utf-8-sig**" in markdown(at) or "encodage **utf-8**" in markdown(at)
    assert [s.value for s in at.success] == ["Aucune erreur : 2 activités prêtes à être chargées."]
    assert count(demo_copy, "SELECT count(*) FROM loads") == before  # nothing written before the confirmation
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert any("2 nouvelles activités, 0 modifiée, 0 inchangée" in s.value for s in at.success)
    assert {link.proto.label for link in at.get("page_link")} >= {"Voir la page de Lyon", "Voir la page de Paris"}
    # The stored name is the file's own name: `../` leads nowhere.
    assert count(demo_copy, "SELECT count(*) FROM loads WHERE file_name = 'passwd.csv' AND is_demo") == 1


def test_every_problem_is_reported_at_its_line_and_nothing_can_be_loaded(monkeypatch, demo_copy):
    at = upload(app(monkeypatch, demo_copy), "activites.csv", TYPE_ERRORS)
    assert at.error[0].value.startswith("6 erreurs sur 2 lignes : ")
    text = markdown(at)
    assert "**Ligne 2 · nb\\_seances** — « deux » n\\'est pas un nombre entier" in text
    assert "**Ligne 3 · date\\_debut**" in text
    assert not [b for b in at.button if b.key == "upload_confirm"]
    assert list(at.dataframe(key="upload_editor").value["line"]) == [2, 3]  # the rejected rows, to fix
    # The editor's form resubmits the rows as a corrected copy, whose lines stay those of the upload.
    at.button[-1].click().run()
    assert any("copie corrigée « activites \\(corrigé\\)\\.csv »" in i.value for i in at.info)
    assert at.error[0].value.startswith("6 erreurs sur 2 lignes : ")
    assert "**Ligne 3 · date\\_debut**" in markdown(at)


def test_warnings_are_not_counted_as_errors(monkeypatch, demo_copy):
    """One error and one warning: the count says one error, and the warning is listed after
    it, named as such, in one language."""
    data = TWO_CITIES.decode("utf-8-sig").splitlines()
    data[0] += ";Remarques"
    data[1] += ";à revoir"
    data[2] = data[2].replace(";Paris;", ";Pariss;") + ";"
    at = upload(app(monkeypatch, demo_copy), "a.csv", "\n".join(data).encode())
    assert at.error[0].value.startswith(
        "1 erreur sur 1 ligne (et 1 avertissement, qui n'empêche pas le chargement) : rien ne sera chargé"
    )
    items = [line for line in markdown(at).splitlines() if line.startswith("- **")]
    assert items[0].startswith("- **Ligne 3 · ville** — ")
    assert items[1].startswith("- **Avertissement · Ligne 1 · Remarques** — ")
    english = app(monkeypatch, demo_copy)
    english.query_params["lang"] = "en"
    at = upload(english, "a.csv", "\n".join(data).encode())
    assert at.error[0].value.startswith("1 error on 1 line (and 1 warning, which does not prevent the load): ")


def test_a_file_already_loaded_says_when_and_writes_nothing(monkeypatch, demo_copy):
    at = upload(app(monkeypatch, demo_copy), "a.csv", TWO_CITIES)
    at.button(key="upload_confirm").click().run()
    loads = count(demo_copy, "SELECT count(*) FROM loads")
    at = upload(app(monkeypatch, demo_copy), "same-content.csv", TWO_CITIES)
    assert any(i.value.startswith("Ce fichier a déjà été chargé (chargement n°") for i in at.info)
    at.button(key="upload_confirm").click().run()
    assert any("déjà été chargé" in i.value for i in at.info)
    assert count(demo_copy, "SELECT count(*) FROM loads") == loads


def test_an_unknown_header_mapped_by_hand_is_remembered_for_the_city(monkeypatch, demo_copy):
    data = TWO_CITIES.decode("utf-8-sig").replace("nb_participants", "Personnes venues").encode()
    data = data.replace(b"Paris;", b"Lyon;").replace(b"A-2;", b"A-9;")
    at = upload(app(monkeypatch, demo_copy, role="editor", city=LYON), "lyon.csv", data)
    box = at.selectbox(key="upload_map_0_Personnes venues")
    assert box.value == ""  # ignored until mapped
    # The choices read as the contract's titles, never as field codes.
    assert box.options[0] == "— ignorer —" and "Nombre de participants" in box.options
    assert not [o for o in box.options if "_" in o]
    box.set_value("nb_participants").run()
    assert [s.value for s in at.success] == ["Aucune erreur : 2 activités prêtes à être chargées."]
    at.button(key="upload_confirm").click().run()
    assert any("2 nouvelles activités" in s.value for s in at.success)
    # Next upload for Lyon: the mapping is already chosen.
    again = upload(app(monkeypatch, demo_copy, role="editor", city=LYON), "lyon2.csv", data.replace(b"A-9", b"A-8"))
    assert again.selectbox(key="upload_map_0_Personnes venues").value == "nb_participants"


def test_a_city_editor_can_only_upload_for_its_city(monkeypatch, demo_copy):
    at = upload(app(monkeypatch, demo_copy, role="editor", city=LYON), "two.csv", TWO_CITIES)
    assert at.selectbox(key="upload_city").options == ["Lyon"]
    assert at.error[0].value.startswith("1 erreur sur 1 ligne : ")
    assert "**Ligne 3 · ville**" in markdown(at)


def test_a_file_over_the_size_limit_is_refused_with_the_fix(monkeypatch, demo_copy):
    at = app(monkeypatch, demo_copy, ENGAGEMENT_UPLOAD_MAX_MB="1")
    at = upload(at, "big.csv", TWO_CITIES + b"\n" * (1024 * 1024))
    assert at.error[0].value.startswith("Le fichier fait 1,0 Mo, plus que la limite de 1 Mo. Découpez-le")


def test_history_lists_loads_and_rolls_one_back_after_confirmation(monkeypatch, demo_copy):
    at = upload(app(monkeypatch, demo_copy), "a.csv", TWO_CITIES)
    at.button(key="upload_confirm").click().run()
    load_id = count(demo_copy, "SELECT max(load_id) FROM loads")
    at.switch_page("app_pages/history.py").run()
    assert not at.exception
    (table,) = [frame.value for frame in at.dataframe]  # the page's one table
    assert table.iloc[0]["N°"] == load_id and table.iloc[0]["Fichier"] == "a.csv"
    assert [d.proto.label for d in at.get("download_button")] == ["Télécharger le fichier déposé (CSV)"]
    # Whether it can be undone, and what that changes, is said before the button.
    assert [c.value for c in at.main.caption if c.value.startswith("Annuler")] == [
        "Annuler ce chargement retire 2 versions d'activités qu'il a écrites. Le fichier d'origine reste archivé."
    ]
    at.button(key=f"history_rollback_{load_id}").click().run()
    at.button(key="history_confirm").click().run()
    assert any(s.value == f"Chargement n° {load_id} annulé." for s in at.success)
    assert count(demo_copy, f"SELECT count(*) FROM loads WHERE load_id = {load_id} AND status = 'rolled_back'") == 1


def test_history_says_a_rollback_is_impossible_before_asking(monkeypatch, demo_copy):
    """A later load that changed the same activities blocks the rollback: the page says so
    at once and the button is disabled; a later load that left them unchanged does not."""
    changed = TWO_CITIES.decode("utf-8-sig").replace(";40;", ";41;", 1).encode()
    assert changed != TWO_CITIES
    at = upload(app(monkeypatch, demo_copy), "a.csv", TWO_CITIES)
    at.button(key="upload_confirm").click().run()
    first = count(demo_copy, "SELECT max(load_id) FROM loads")
    at = upload(at, "b.csv", changed)
    at.button(key="upload_confirm").click().run()
    second = first + 1
    at.switch_page("app_pages/history.py").run()
    at.selectbox(key="history_load").set_value(first).run()
    assert at.button(key=f"history_rollback_{first}").disabled
    assert at.main.warning[-1].value.startswith(
        f"Ce chargement ne peut pas être annulé pour l'instant : le chargement n° {second} a modifié depuis"
    )
    at.selectbox(key="history_load").set_value(second).run()
    assert not at.button(key=f"history_rollback_{second}").disabled
    assert any("rétablit 1 version antérieure qu'il avait remplacée" in c.value for c in at.main.caption)


def test_a_city_editor_sees_only_the_history_of_its_city(monkeypatch, demo_copy):
    at = app(monkeypatch, demo_copy, role="editor", city=LYON)
    at.switch_page("app_pages/history.py").run()
    cities = set(at.dataframe[0].value["Villes"])
    assert cities == {"Lyon"}


@pytest.mark.parametrize(("role", "pages"), [("viewer", False), ("editor", True), ("coordinator", True)])
def test_upload_and_history_are_registered_only_for_roles_that_may_use_them(monkeypatch, demo_copy, role, pages):
    at = app(monkeypatch, demo_copy, role=role, city=LYON if role == "editor" else None)
    if pages:
        at.switch_page("app_pages/upload.py").run()
        assert at.title[0].value == "Déposer des données"
    else:
        with pytest.raises(Exception, match="upload"):  # not registered: no such page for this role
            at.switch_page("app_pages/upload.py").run()


def test_outside_demo_mode_uploads_wait_for_a_sign_in_method(monkeypatch, demo_copy):
    at = app(monkeypatch, demo_copy, demo=False)
    at.switch_page("app_pages/signin.py").run()
    (warning,) = [w.value for w in at.warning if "connexion" in w.value]
    assert warning.startswith("Aucune méthode de connexion n'est configurée : les dépôts de fichiers sont refusés.")
    assert "python -m etl users add" in warning


def test_local_account_sign_in_and_lock_out(monkeypatch, demo_copy):
    result = run_cli("users", "add", "lyon@example.org", "--role", "editor", "--city", LYON, "--password-stdin",
                     db=demo_copy, input=PASSWORD + "\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    at = app(monkeypatch, demo_copy, demo=False, ENGAGEMENT_MAX_FAILED_LOGINS="2")
    at.switch_page("app_pages/signin.py").run()
    at.text_input(key="signin_login").input("lyon@example.org")
    at.text_input(key="signin_password").input("wrong password!")
    at.button[0].click().run()
    assert at.error[0].value.startswith("Identifiant ou mot de passe incorrect")
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert any("Connecté" in m.value for m in at.sidebar.markdown)
    at.switch_page("app_pages/upload.py").run()
    assert at.selectbox(key="upload_city").options == ["Lyon"]


def test_viewers_must_sign_in_when_set(monkeypatch, demo_copy):
    at = app(monkeypatch, demo_copy, demo=False, ENGAGEMENT_VIEWERS_SIGN_IN="1")
    assert at.title[0].value == "Se connecter"
    assert "réservé aux comptes autorisés" in at.caption[0].value
    with pytest.raises(Exception, match="city"):
        at.switch_page("app_pages/city.py").run()


def test_sign_in_offers_the_identity_provider_when_configured(monkeypatch, demo_copy):
    monkeypatch.setenv("ENGAGEMENT_DB", str(demo_copy))
    monkeypatch.setenv("ENGAGEMENT_DEMO", "0")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
    at.run()
    at.switch_page("app_pages/signin.py").run()
    assert [b.label for b in at.button] == ["Se connecter avec le compte de mon organisation"]
    assert not [w for w in at.warning if "connexion" in w.value]


def test_a_coordinator_manages_accounts_and_cities_from_the_administration_page(monkeypatch, demo_copy):
    at = app(monkeypatch, demo_copy, role="coordinator")
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception
    at.text_input(key="admin_login").input("Alice@Lyon.fr")
    at.text_input(key="admin_password").input("short")
    at.multiselect(key="admin_cities").set_value([LYON])
    at.button[-2].click().run()  # the account form's submit button
    assert at.error[0].value.startswith("Le mot de passe")  # the data layer's rule, in words
    at.text_input(key="admin_login").input("Alice@Lyon.fr")
    at.text_input(key="admin_password").input(PASSWORD)
    at.multiselect(key="admin_cities").set_value([LYON])
    at.button[-2].click().run()
    assert any(s.value == "Compte « Alice\\@Lyon\\.fr » créé." for s in at.success)  # escaped: typed text
    assert "alice@lyon.fr" in list(at.dataframe[0].value.iloc[:, 0])
    assert "Échecs de connexion récents" in at.dataframe[0].value.columns  # not an always-empty lock date
    assert count(demo_copy, "SELECT count(*) FROM accounts WHERE login = 'alice@lyon.fr' AND role = 'editor'") == 1


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_administration_is_not_registered_below_coordinator(monkeypatch, demo_copy, role):
    at = app(monkeypatch, demo_copy, role=role, city=LYON if role == "editor" else None)
    with pytest.raises(Exception, match="admin"):
        at.switch_page("app_pages/admin.py").run()


def test_the_demo_persona_lives_in_the_url(monkeypatch, demo_copy):
    """A reload (a new session from the same URL) keeps the demo role and city; a page change
    keeps them too, and what the persona does is recorded under its name."""
    monkeypatch.setenv("ENGAGEMENT_DB", str(demo_copy))
    monkeypatch.setenv("ENGAGEMENT_DEMO", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["demo_role"] = "editor"
    at.query_params["demo_city"] = LYON
    at.run()
    assert (at.selectbox(key="demo_role").value, at.selectbox(key="demo_city").value) == ("editor", LYON)
    at.switch_page("app_pages/upload.py").run()
    assert at.selectbox(key="upload_city").options == ["Lyon"]
    assert (at.query_params["demo_role"], at.query_params["demo_city"]) == ("editor", LYON)
    at.file_uploader(key="upload_file").set_value(
        ("a.csv", TWO_CITIES.replace(b";Paris;", b";Lyon;"), "text/csv")
    ).run()
    at.button(key="upload_confirm").click().run()
    assert count(demo_copy, "SELECT count(*) FROM loads WHERE user_name = 'demo-editor'") == 1
    at.selectbox(key="demo_role").set_value("coordinator").run()
    assert "demo_role" not in at.query_params  # the default is left out of the URL


def test_counts_of_activities_agree_in_number():
    from ui.texts import counted_text
    from ui.texts.upload import TEXT

    assert counted_text(TEXT, "n_ready", 1, "fr") == "1 activité prête à être chargée"
    assert counted_text(TEXT, "n_ready", 3, "fr") == "3 activités prêtes à être chargées"
    assert counted_text(TEXT, "n_activities", 1, "en") == "1 activity"
    assert counted_text(TEXT, "n_activities", 1200, "fr") == "1\u202f200 activités"
    assert counted_text(TEXT, "n_inserted", 1, "fr") == "1 nouvelle activité"
