"""The Data page: the dictionary and metric definitions (pure), its SQL on a small
hand-built database with numbers worked out by hand, the download files, and AppTest."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from etl.db import open_database
from etl.load import load_file, rollback
from etl.schema import load_schema
from etl.writers import frame_bytes
from queries import framework_params, prepare, run
from queries.dictionary import city_status, dictionary, flag_legend, metric_definitions
from queries.metrics import METRICS
from queries.selection import Selection
from tests.conftest import run_app
from ui.filters import country_name
from ui.i18n import fmt_date, fmt_metric

PAGE = "app_pages/data.py"
ANGERS, BORDEAUX, DIJON = "244900015", "243300316", "242100410"
TODAY = date.today()
RECENT = TODAY - timedelta(days=10)

# --- the dictionary and the metric definitions (pure) --------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dictionary_has_every_field_with_a_description(lang):
    schema = load_schema()
    frame = dictionary(schema, lang)
    name, description = ("Nom canonique", "Description") if lang == "fr" else ("Canonical name", "Description")
    assert frame[name].tolist() == schema.names
    assert frame[description].str.strip().str.len().gt(0).all()
    assert frame[description].tolist() == [f.description(lang) for f in schema.fields]


def test_dictionary_contents_in_french_and_english():
    fr = dictionary(load_schema(), "fr").set_index("Nom canonique")
    en = dictionary(load_schema(), "en").set_index("Canonical name")
    assert list(fr.columns) == [
        "Colonne",
        "Nom anglais",
        "Type",
        "Obligatoire",
        "Description",
        "Exemple",
        "Valeurs admises",
        "Contraintes",
        "Autres en-têtes reconnus",
    ]
    assert fr.loc["nb_participants", "Colonne"] == "Nombre de participants"
    assert "Public touché" in fr.loc["nb_participants", "Autres en-têtes reconnus"]
    assert en.loc["nb_participants", "Column"] == load_schema().field("nb_participants").title_en
    assert (fr.loc["ville", "Obligatoire"], fr.loc["titre", "Obligatoire"]) == ("oui", "non")
    assert (en.loc["ville", "Required"], en.loc["titre", "Required"]) == ("yes", "no")
    assert (fr.loc["nb_seances", "Type"], en.loc["date_debut", "Type"]) == ("nombre entier", "date (DD/MM/YYYY)")
    # code fields: every code with its label
    assert "Atelier (atelier)" in fr.loc["methode", "Valeurs admises"]
    assert "Workshop (atelier)" in en.loc["methode", "Accepted values"]
    for code in load_schema().field("niveau_engagement").codes:
        assert f"({code.code})" in fr.loc["niveau_engagement", "Valeurs admises"]
    assert fr.loc["retour_public", "Valeurs admises"] == "oui / non"
    # constraints: minimum, ≤ another field, ≥ another field, pattern, key
    assert "≥ 0" in fr.loc["nb_seances", "Contraintes"]
    assert "≤ Propositions reçues (nb_propositions_recues)" in fr.loc["nb_propositions_retenues", "Contraintes"]
    assert "≥ Start date (date_debut)" in en.loc["date_fin", "Constraints"]
    assert "≤ today + 1 year" in en.loc["date_debut", "Constraints"]
    assert "^https?://" in en.loc["url_source", "Constraints"]
    assert "unique pour une ville" in fr.loc["id_activite", "Contraintes"]
    assert "acteurs" in fr.loc["nb_citoyens", "Contraintes"]
    assert (fr.loc["cout_eur", "Exemple"], en.loc["cout_eur", "Example"]) == ("1250,5", "1250.5")
    assert (fr.loc["retour_public", "Exemple"], en.loc["retour_public", "Example"]) == ("oui", "yes")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_metric_definitions_cover_every_metric(lang):
    frame = metric_definitions(lang)
    label, definition, formula, unit = frame.columns
    assert frame[label].tolist() == [m.label(lang) for m in METRICS.values()]
    for column in (definition, formula, unit):
        assert frame[column].str.len().gt(0).all()
    participations = frame.set_index(label).loc["Participations", definition]
    assert ("pas des personnes uniques" if lang == "fr" else "not unique people") in participations
    units = set(frame[unit])
    assert units <= (
        {"nombre", "part (%)", "pour 10 000 habitants", "indice", "jours"}
        if lang == "fr"
        else {"count", "share (%)", "per 10,000 inhabitants", "index", "days"}
    )


def test_flag_legend_explains_every_flag_in_both_languages():
    assert flag_legend("fr").count("\n- ") == 4 and "6 derniers mois" in flag_legend("fr")
    assert "**Demo data**:" in flag_legend("en") and "one half" in flag_legend("en")


# --- the SQL on a small database ---------------------------------------------------

HEADER = (
    "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;"
    "nb_propositions_retenues;nb_propositions_recues;nb_femmes;nb_moins_25_ans;nb_citoyens;cout_eur\n"
)


@pytest.fixture
def small_db(tmp_path):
    """Angers: 2 records of real load A + 1 of demo load B; Bordeaux: 1 record of load A
    (load C, which added one, is rolled back); Dijon: 1 old record of load D."""
    path = tmp_path / "small.duckdb"
    con = open_database(path)
    files = {
        "a.csv": (
            f"A1;Angers;Atelier vélo;{RECENT};atelier;concertation;1;20;2;10;5;;8;\n"
            f"A2;Angers;=1+1;{RECENT - timedelta(days=30)};atelier;information;1;10;0;;;;;\n"
            "B1;Bordeaux;Réunion;2024-05-01;reunion_publique;information;1;30;0;;;;;\n"
        ),
        "b.csv": f"A3;Angers;Balade;{RECENT - timedelta(days=60)};marche_exploratoire;consultation;1;15;0;;;4;;\n",
        "c.csv": "B2;Bordeaux;Jury;2024-06-01;jury_citoyen;co_decision;2;12;1;3;;;;\n",
        "d.csv": "D1;Dijon;Enquête;2020-03-01;enquete;consultation;1;100;5;50;40;10;60;1250,5\n",
    }
    loaded_at = {
        "a.csv": datetime(2025, 1, 10, 9, 0),
        "b.csv": datetime(2025, 2, 1, 10, 0),
        "c.csv": datetime(2025, 3, 1, 11, 0),
        "d.csv": datetime(2025, 1, 5, 8, 0),
    }
    ids = {}
    for name, rows in files.items():
        (tmp_path / name).write_text(HEADER + rows, encoding="utf-8")
        report = load_file(con, tmp_path / name, is_demo=name == "b.csv")
        assert report.status == "loaded", report
        ids[name] = report.load_id
        con.execute("UPDATE loads SET loaded_at = ? WHERE load_id = ?", [loaded_at[name], report.load_id])
    rollback(con, ids["c.csv"])
    yield prepare(con), path
    con.close()


def params(**extra) -> dict:
    selection = Selection(date(2015, 1, 1), TODAY + timedelta(days=365))
    return selection.params() | framework_params() | {"lang": "fr"} | extra


def test_freshness_by_city(small_db):
    con, _ = small_db
    frame = run(con, "data_freshness_by_city", params()).set_index("city_code")
    assert sorted(frame.index) == sorted([ANGERS, BORDEAUX, DIJON])
    assert frame.loc[ANGERS, "last_load"] == datetime(2025, 2, 1, 10, 0)  # the demo load B is the latest
    assert frame.loc[BORDEAUX, "last_load"] == datetime(2025, 1, 10, 9, 0)  # load C was rolled back
    assert frame.loc[DIJON, "last_load"] == datetime(2025, 1, 5, 8, 0)
    assert frame["loads"].to_dict() == {ANGERS: 2, BORDEAUX: 1, DIJON: 1}
    assert frame["records"].to_dict() == {ANGERS: 3, BORDEAUX: 1, DIJON: 1}
    latest = {k: pd.Timestamp(v).date() for k, v in frame["latest_activity"].items()}
    assert latest == {ANGERS: RECENT, BORDEAUX: date(2024, 5, 1), DIJON: date(2020, 3, 1)}
    assert frame.loc[ANGERS, "city"] == "Angers Loire Métropole" and frame.loc[ANGERS, "country"] == "FR"


def test_freshness_follows_the_city_and_country_filters_only(small_db):
    con, _ = small_db
    only = run(con, "data_freshness_by_city", params(cities=[BORDEAUX]))
    assert only["city_code"].tolist() == [BORDEAUX]
    assert run(con, "data_freshness_by_city", params(countries=["DE"])).empty
    # the period does not apply: freshness is about the whole of a city's data
    assert len(run(con, "data_freshness_by_city", params(start=date(2015, 1, 1), end=date(2015, 2, 1)))) == 3


def test_quality_by_city(small_db):
    con, _ = small_db
    frame = run(con, "data_quality_by_city", params()).set_index("city_code")
    assert frame["records"].to_dict() == {ANGERS: 3, BORDEAUX: 1, DIJON: 1}
    assert frame["inactive"].to_dict() == {ANGERS: False, BORDEAUX: True, DIJON: True}
    # Angers: A2 and A3 lack proposals received; A2 lacks demographics; A2 and A3 lack
    # stakeholders; A3 came from the demo load.
    assert frame.loc[ANGERS, "share_no_proposals"] == pytest.approx(2 / 3)
    assert frame.loc[ANGERS, "share_no_demographics"] == pytest.approx(1 / 3)
    assert frame.loc[ANGERS, "share_no_stakeholders"] == pytest.approx(2 / 3)
    assert frame.loc[ANGERS, "share_demo"] == pytest.approx(1 / 3)
    assert frame.loc[BORDEAUX, ["share_no_proposals", "share_no_demographics", "share_no_stakeholders"]].tolist() == [
        1,
        1,
        1,
    ]
    assert frame.loc[
        DIJON, ["share_no_proposals", "share_no_demographics", "share_no_stakeholders", "share_demo"]
    ].tolist() == [0, 0, 0, 0]
    flags = ["flag_no_proposals", "flag_no_demographics", "flag_no_stakeholders", "flag_demo"]
    assert frame.loc[ANGERS, flags].tolist() == [True, False, True, True]
    assert frame.loc[BORDEAUX, flags].tolist() == [True, True, True, False]
    assert frame.loc[DIJON, flags].tolist() == [False, False, False, False]
    assert run(con, "data_quality_by_city", params(cities=[DIJON]))["city_code"].tolist() == [DIJON]


def test_city_status_in_words(small_db):
    con, _ = small_db
    fresh, quality = run(con, "data_freshness_by_city", params()), run(con, "data_quality_by_city", params())
    fmt = (fmt_date, fmt_metric, country_name)
    fr = city_status(fresh, quality, "fr", *fmt).set_index("Ville")
    assert fr.loc["Angers Loire Métropole", "Pays"] == "France"
    assert fr.loc["Angers Loire Métropole", "Dernier chargement"] == "1 févr. 2025, 10:00"
    assert fr.loc["Angers Loire Métropole", "Sans propositions reçues"] == "66,7 %"
    assert not fr.loc["Angers Loire Métropole", "Inactive depuis 6 mois"]
    assert fr.loc["Bordeaux Métropole", "Inactive depuis 6 mois"]
    assert fr.loc["Angers Loire Métropole", "À vérifier"] == (
        "Sans propositions reçues · Sans répartition des acteurs · Données de démonstration"
    )
    assert fr.loc["Dijon Métropole", "À vérifier"] == "Inactive depuis 6 mois"
    assert fr.loc["Dijon Métropole", "Dernière activité"] == "1 mars 2020"
    en = city_status(fresh, quality, "en", *fmt).set_index("City")
    assert en.loc["Bordeaux Métropole", "To check"] == (
        "Inactive for 6 months · No proposals received · No demographic data · No stakeholder breakdown"
    )
    assert en.loc["Angers Loire Métropole", "Records"] == "3"
    assert en.loc["Angers Loire Métropole", "Demo data"] == "33.3 %"


def test_selected_records_are_the_canonical_columns(small_db):
    con, _ = small_db
    frame = run(con, "data_selected_records", params())
    assert frame.columns.tolist() == load_schema().names
    assert len(frame) == 5
    assert "=1+1" in frame["titre"].tolist()  # kept as written in the data; neutralised on download
    assert run(con, "data_selected_records", params(cities=[DIJON]))["id_activite"].tolist() == ["D1"]
    assert len(run(con, "data_selected_records", params(start=date(2024, 1, 1), end=date(2024, 12, 31)))) == 1


# --- the download files -------------------------------------------------------------


@pytest.fixture
def selected(small_db) -> pd.DataFrame:
    con, _ = small_db
    return run(con, "data_selected_records", params())


def test_csv_is_neutralised_for_french_excel(selected):
    data = frame_bytes(selected, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ";".join(load_schema().names)
    assert ";'=1+1;" in text and ";=1+1;" not in text
    assert "1250,5" in text  # decimal comma
    frame = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)
    assert len(frame) == 5


def test_xlsx_is_neutralised(selected):
    data = frame_bytes(selected, "xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0] == load_schema().names
    titles = [r[2] for r in rows[1:]]
    assert "'=1+1" in titles and "=1+1" not in titles
    assert len(rows) == 6
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no cell was written as a formula


def test_parquet_keeps_the_data_typed(selected):
    frame = pd.read_parquet(io.BytesIO(frame_bytes(selected, "parquet")))
    assert frame.columns.tolist() == load_schema().names
    assert "=1+1" in frame["titre"].tolist()  # a typed format, not opened by a spreadsheet
    assert frame["nb_participants"].sum() == 20 + 10 + 30 + 15 + 100


def test_unknown_format_is_refused(selected):
    with pytest.raises(ValueError):
        frame_bytes(selected, "pdf")


# --- the page (AppTest) -------------------------------------------------------------


def page(monkeypatch, db, **query):
    at = run_app(monkeypatch, db, page=PAGE, **query)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_dictionary_tab_is_the_default_in_french(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db)
    assert at.title[0].value == "Données"
    assert [t.label for t in at.tabs] == [
        "Dictionnaire des données",
        "Indicateurs",
        "Fraîcheur et qualité",
        "Téléchargements",
    ]
    table = at.table[0].value  # a static table: long descriptions wrap, none is cut at the edge
    assert table["Nom canonique"].tolist() == load_schema().names
    assert [b.key for b in at.download_button] == ["data_schema_file", "data_template_csv", "data_template_xlsx"]
    assert at.download_button(key="data_template_xlsx").label == "Modèle XLSX (listes déroulantes)"
    assert "tab" not in at.query_params


def test_page_in_english(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, lang="en")
    assert at.title[0].value == "Data"
    assert at.tabs[0].label == "Data dictionary"
    assert "Canonical name" in at.table[0].value.columns
    assert list(at.table[1].value.columns)[1:] == [
        "English name",
        "Example",
        "Accepted values",
        "Constraints",
        "Other headers recognised",
    ]
    assert at.download_button(key="data_schema_file").label == "Data contract (JSON)"


def test_metrics_tab_from_the_url(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, tab="metrics", lang="en")
    table = at.dataframe[0].value
    assert len(table) == len(METRICS)
    assert "not unique people" in at.info[0].body
    assert not at.download_button  # only the open tab runs
    assert at.query_params["tab"] == "metrics"


def test_quality_tab_matches_the_database(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, tab="quality")
    table = at.dataframe[0].value.set_index("Ville")
    con = duckdb.connect(str(demo_db), read_only=True)
    counts = dict(
        con.execute(
            "SELECT coalesce(c.nom_fr, c.nom), count(*) FROM activities a JOIN cities c ON c.code = a.code_ville GROUP BY 1"
        ).fetchall()
    )
    con.close()
    assert len(table) == len(counts) == 112  # every mission city, named in French
    assert {city: int(n.replace("\u202f", "")) for city, n in table["Activités"].items()} == counts
    assert (table["Données de démonstration"] == "100,0 %").all()
    assert table["À vérifier"].str.contains("Données de démonstration").all()
    assert "Légende des signalements" in at.markdown[-1].value


def test_quality_tab_follows_the_city_filter(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, tab="quality", city=["75056", "69123"], lang="en")
    assert at.dataframe[0].value["City"].tolist() == ["Lyon", "Paris"]


def test_downloads_tab_counts_the_selection(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, tab="downloads", city="75056", **{"from": "2024-01-01", "to": "2024-12-31"})
    con = duckdb.connect(str(demo_db), read_only=True)
    (count,) = con.execute(
        "SELECT count(*) FROM activities WHERE code_ville = '75056' AND date_debut BETWEEN '2024-01-01' AND '2024-12-31'"
    ).fetchone()
    con.close()
    assert at.markdown[0].value.startswith(f"{count} activités sélectionnées, du 1 janv. 2024 au 31 déc. 2024")
    assert [b.key for b in at.download_button] == ["data_download_csv", "data_download_xlsx", "data_download_parquet"]
    assert [b.label for b in at.download_button] == ["CSV (Excel français)", "XLSX", "Parquet"]


def test_sidebar_filter_changes_the_count(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, tab="downloads", lang="en")
    assert at.markdown[0].value.startswith("3,000 records selected")
    at.sidebar.multiselect(key="flt_city").set_value(["75056"]).run()
    assert not at.exception
    con = duckdb.connect(str(demo_db), read_only=True)
    (count,) = con.execute("SELECT count(*) FROM activities WHERE code_ville = '75056'").fetchone()
    con.close()
    assert at.markdown[0].value.startswith(f"{count} records selected")
    assert at.query_params["tab"] == "downloads"


def test_empty_period(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, tab="downloads", **{"from": "2015-01-01", "to": "2015-02-01"})
    assert "Aucune activité ne correspond" in at.info[0].body
    assert not at.download_button
    # freshness is not about the period: the cities are still listed
    at = page(monkeypatch, demo_db, tab="quality", **{"from": "2015-01-01", "to": "2015-02-01"})
    assert len(at.dataframe[0].value) == 112


def test_empty_database(monkeypatch, tmp_path):
    db = tmp_path / "empty.duckdb"
    open_database(db).close()
    at = page(monkeypatch, db, tab="quality")
    assert "python -m etl load" in at.info[0].body
    at = page(monkeypatch, db)  # the dictionary helps to prepare a first file
    assert len(at.table[0].value) == len(load_schema().fields)
    assert len(at.download_button) == 3


def test_unknown_tab_falls_back_to_the_dictionary(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, tab="<script>")
    assert at.table[0]
    assert "tab" not in at.query_params


def test_choosing_a_tab_writes_it_in_the_url(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db)
    at.session_state["data_tab_fr"] = "Fraîcheur et qualité"
    at.run()
    assert not at.exception
    assert at.query_params["tab"] == "quality"
    assert "Ville" in at.dataframe[0].value.columns
    at.sidebar.segmented_control[0].set_value("en").run()  # the tab survives a change of language
    assert at.tabs[2].label == "Freshness and quality"
    assert "City" in at.dataframe[0].value.columns


def test_platform_mapping_written_down_in_both_languages(monkeypatch, demo_db):
    for lang, title, words in (
        ("fr", "Exports des plateformes : ce que chaque champ devient", ["votants", "`attendees`", "rubrique"]),
        ("en", "Platform exports: what each field becomes", ["voters", "`attendees`", "heading"]),
    ):
        at = page(monkeypatch, demo_db, lang=lang)
        (expander,) = [e for e in at.expander if e.label == title]
        body = " ".join(m.value for m in expander.markdown)
        assert "Pabulib" in body and "Decidim" in body and "CONSUL" in body
        assert all(w in body for w in words), (lang, words)
