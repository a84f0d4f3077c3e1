"""The Present page (AppTest: slides, navigation, deep links, decks), saved decks on a
real database, the one-sentence chart summaries on hand-made data, and the slides built
from the demo database."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd
import pytest

from charts import summaries
from etl.access import AccessDenied, Principal
from etl.db import connect
from etl.schema import load_framework, load_schema
from queries import choices, data_version
from queries.lenses import lens
from queries.selection import from_query
from service import decks
from tests.conftest import run_app, run_cli
from ui import slides

FRAMEWORK = load_framework()
PAGE = "app_pages/present.py"
NNBSP = "\u202f"  # French thousands separator
COORDINATOR = Principal("coord", "coordinator")


# --- Saved decks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Bilan 2025 — Lyon & Grenoble", "bilan-2025-lyon-grenoble"),
        ("  Comité   de pilotage  ", "comite-de-pilotage"),
        ("Ça, c'est la Défense !", "ca-c-est-la-defense"),
        ("x" * 100, "x" * 60),
    ],
)
def test_slug_of_a_name(name, slug):
    assert decks.slugify(name) == slug


@pytest.mark.parametrize(
    ("name", "fr", "en"),
    [
        ("   ", "Donnez un nom", "Give the presentation a name"),
        ("!!! ---", "au moins une lettre ou un chiffre", "at least one letter or digit"),
        ("a" * 81, "trop long (81 caractères)", "too long (81 characters)"),
    ],
)
def test_bad_names_are_refused_in_both_languages(con, name, fr, en):
    with pytest.raises(decks.DeckError) as caught:
        decks.save(con, name, {})
    assert fr in caught.value.fr and en in caught.value.en
    assert con.execute("SELECT count(*) FROM decks").fetchone()[0] == 0


def test_save_then_reopen_and_save_again_keeps_the_link(con):
    spec = {"query": {"city": ["69123", "38185"], "from": ["2024-01-01"]}, "lens": "iap2", "charts": ["trend", "map"]}
    first = decks.save(con, "Bilan Lyon", spec | {"lang": "en", "auto": 20}, by=COORDINATOR, now=datetime(2025, 1, 2))
    assert first.slug == "bilan-lyon"
    assert decks.get(con, "bilan-lyon") == decks.Deck(
        "bilan-lyon",
        "Bilan Lyon",
        {"query": spec["query"], "lens": "iap2", "charts": ["trend", "map"], "lang": "en", "auto": 20},
        datetime(2025, 1, 2),
    )
    decks.save(con, "bilan  LYON", {"charts": ["ladder"]}, now=datetime(2025, 2, 1))
    again = decks.get(con, "bilan-lyon")
    assert (again.name, again.spec["charts"], again.spec["query"]) == ("bilan LYON", ["ladder"], {})
    assert [d.slug for d in decks.all_decks(con)] == ["bilan-lyon"]
    assert con.execute("SELECT created_by, created_at FROM decks").fetchone() == ("coord", datetime(2025, 1, 2))


def test_a_deck_records_its_author_and_only_they_or_coordinators_replace_it(con):
    lyon, grenoble = Principal("ed-lyon", "editor", {"69123"}), Principal("ed-gre", "editor", {"38185"})
    decks.save(con, "Bilan", {"charts": ["trend"]}, by=lyon)
    decks.save(con, "bilan", {"charts": ["ladder"]}, by=lyon)  # its author may replace it
    with pytest.raises(AccessDenied) as refused:
        decks.save(con, "BILAN", {"charts": ["map"]}, by=grenoble)
    assert "enregistrée par quelqu'un d'autre" in refused.value.fr and "saved by someone else" in refused.value.en
    assert decks.get(con, "bilan").spec["charts"] == ["ladder"]  # nothing written
    decks.save(con, "Bilan", {"charts": ["map"]}, by=COORDINATOR)
    assert con.execute("SELECT created_by, updated_by FROM decks").fetchone() == ("ed-lyon", "coord")
    assert decks.get(con, "bilan").spec["charts"] == ["map"]


def test_a_spec_keeps_only_what_a_deck_may_hold(con):
    hostile = {
        "query": {"city": ["69123", 5, "x" * 500], "evil": ["1"], "from": "2024-01-01"},
        "lens": "../../etc",
        "charts": ["trend", "<script>", "map"],
        "lang": "de",
        "auto": True,
        "extra": {"a": 1},
    }
    deck = decks.save(con, "Hostile", hostile)
    assert deck.spec == {
        "query": {"city": ["69123"], "from": ["2024-01-01"]},
        "charts": ["trend", "map"],
        "lang": "fr",
        "auto": 0,
    }
    con.execute("UPDATE decks SET spec = 'not json' WHERE slug = 'hostile'")
    assert decks.get(con, "hostile").spec == decks.clean_spec({})


@pytest.mark.parametrize("slug", ["", "UPPER", "a--b", "a" * 61, "'; DROP TABLE decks; --", "../x", None])
def test_impossible_slugs_find_nothing(con, slug):
    decks.save(con, "a", {})
    assert decks.get(con, slug) is None
    assert con.execute("SELECT count(*) FROM decks").fetchone()[0] == 1


def test_a_database_without_decks_table_has_no_deck(tmp_path):
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()
    con = connect(path, read_only=True)
    try:
        assert decks.get(con, "bilan") is None and decks.all_decks(con) == []
    finally:
        con.close()


def test_delete(con):
    decks.save(con, "Un", {})
    assert decks.delete(con, "un") is True and decks.delete(con, "un") is False


# --- One sentence per chart, on hand-made data ---------------------------------------


def _trend():
    return pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
            "level": ["information", "concertation", "concertation"],
            "activities": [2, 3, 6],
            "participations": [20, 30, 60],
        }
    )


def test_trend_summary():
    assert summaries.trend_by_level(_trend(), FRAMEWORK, "activities", "month", "fr") == (
        "11 activités de janvier 2024 à février 2024, au plus haut en février 2024 (6) ; "
        "degré le plus fréquent : concertation (81,8\u00a0%)."
    )
    quarters = _trend().assign(period=pd.to_datetime(["2024-01-01", "2024-01-01", "2024-04-01"]))
    assert summaries.trend_by_level(quarters, FRAMEWORK, "participations", "quarter", "en") == (
        "110 participations from Q1 2024 to Q2 2024, peaking in Q2 2024 (60); most frequent degree: concertation (81.8\u00a0%)."
    )


def _levels():
    return pd.DataFrame(
        {
            "city": ["Lyon", "Lyon", "Lyon", "Nantes", "Nantes"],
            "level": ["information", "co_construction", "co_decision", "consultation", "co_decision"],
            "activities": [6, 3, 1, 8, 2],
        }
    )


def test_ladder_summary():
    assert summaries.engagement_ladder(_levels(), FRAMEWORK, "fr") == (
        "La co-création représente 30,0\u00a0% des activités de la sélection ; la part la plus forte est à Lyon (40,0\u00a0%), "
        "la plus faible à Nantes (20,0\u00a0%)."
    )
    lyon = _levels().query("city == 'Lyon'")
    assert summaries.engagement_ladder(lyon, FRAMEWORK, "en") == (
        "In Lyon, co-creation accounts for 40.0\u00a0% of activities; most frequent degree: information (60.0\u00a0%)."
    )


def test_map_summary():
    frame = pd.DataFrame(
        {
            "city": ["A", "B", "C"],
            "activities": [10, 5, 0],
            "per_10k": [50.0, 20.0, np.nan],
            "depth_index": [2.0, 3.5, np.nan],
        }
    )
    assert summaries.city_map(frame, "fr") == (
        "A a le plus de participations pour 10 000 habitants (50,0) et B l'indice de profondeur le plus élevé (3,50), "
        "parmi 2 villes."
    )
    same = frame.assign(depth_index=[4.0, 3.5, np.nan])
    assert summaries.city_map(same, "en") == (
        "A has both the most participations per 10,000 inhabitants (50.0) and the highest depth index (4.00), among 2 cities."
    )


def test_lens_summary():
    frame = pd.DataFrame(
        {
            "city": ["Lyon", "Lyon", "Nantes", "Nantes"],
            "category": ["tokenism", "citizen_power", "tokenism", "citizen_power"],
            "activities": [6, 4, 9, 1],
        }
    )
    assert summaries.lens_distribution(frame, lens(FRAMEWORK, "arnstein"), "activities", "en") == (
        "Read through “Arnstein's ladder”: the most frequent category is “Tokenism” (75.0\u00a0% of activities); "
        "Lyon has the largest share of “Citizen power” (40.0\u00a0%)."
    )


def test_depth_summary_reads_the_whole_selection_only():
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-04-01", "2024-07-01", "2024-01-01"]),
            "city_code": [None, None, None, "69123"],
            "depth_index": [2.5, 3.1, 2.9, 4.0],
        }
    )
    assert summaries.depth_over_time(frame, "fr") == (
        "L'indice de profondeur de la sélection passe de 2,50 (T1 2024) à 2,90 (T3 2024), au plus haut à 3,10 (T2 2024)."
    )


def test_adoption_summary_skips_levels_without_proposals():
    frame = pd.DataFrame(
        {"level": [lv.code for lv in FRAMEWORK.levels], "adoption_rate": [np.nan, 0.25, 0.5, 0.75, np.nan]}
    )
    assert summaries.adoption_by_level(frame, FRAMEWORK, "fr") == (
        "Les propositions issues de « Co-construction » sont les plus souvent retenues (75,0\u00a0%), "
        "celles de « Consultation » le moins (25,0\u00a0%)."
    )


def test_intensity_depth_summary_counts_cities_above_both_medians():
    frame = pd.DataFrame({"city": ["A", "B", "C"], "per_10k": [50.0, 10.0, 30.0], "depth_index": [3.5, 2.0, 3.2]})
    median = pd.Series({"per_10k": 20.0, "depth_index": 3.0})
    assert summaries.intensity_depth(frame, median, "fr") == (
        "2 villes sur 3 sont à la fois plus intenses et plus profondes que la médiane des villes de la mission "
        "(20,0 participations pour 10 000 habitants, indice 3,00) ; en tête : A."
    )
    assert summaries.intensity_depth(frame.iloc[1:], median, "en").startswith("1 of 2 cities is both")
    one = pd.DataFrame({"city": ["Lyon"], "activities": [3], "per_10k": [176.0], "depth_index": [2.76]})
    assert summaries.city_map(one, "en") == "Lyon: 176.0 participations per 10,000 inhabitants, depth index 2.76."
    # never "0 of 2 cities is", "0 ville sur 1 est"
    assert summaries.intensity_depth(frame.iloc[1:2], median, "fr").startswith("B n'est pas à la fois plus intense")
    assert summaries.intensity_depth(frame.iloc[:1], median, "en").startswith("A is both more intense and deeper")
    low = frame.assign(per_10k=[1.0, 2.0, 3.0])
    assert summaries.intensity_depth(low, median, "en").startswith("None of the 3 cities is both")
    assert summaries.intensity_depth(low, median, "fr").startswith("Aucune des 3 villes n'est à la fois")


def test_multiples_funnel_matrix_stakeholders_inclusiveness():
    frame = pd.DataFrame({"city": ["Lyon", "Lyon", "Nantes"], "participations": [100, 50, 30]})
    assert summaries.small_multiples(frame, ["Nantes", "Lyon"], "participations", "fr") == (
        "Sur ces 2 villes, Lyon compte le plus de participations (150), Nantes le moins (30)."
    )
    row = pd.Series(
        {
            "participations": 1200,
            "proposals_received": 80,
            "proposals_adopted": 26,
            "adopted_without_received": 6,
            "adoption_rate": 0.25,
        }
    )
    assert summaries.proposals_funnel(row, "Lyon", "fr") == (
        f"À Lyon, 1{NNBSP}200 participations ont donné 80 propositions reçues et 26 propositions retenues ; "
        "taux d'adoption : 25,0\u00a0%. Le taux ne porte que sur les activités qui déclarent les propositions "
        "reçues : 6 retenues par d'autres activités n'y entrent pas."
    )
    matrix = pd.DataFrame(
        {"method": ["atelier", "reunion_publique"], "level": ["concertation", "information"], "activities": [5, 2]}
    )
    assert summaries.method_level_matrix(matrix, load_schema(), FRAMEWORK, "en") == (
        "The most frequent combination is “Workshop” at the “Concertation” degree (5 of 7 activities)."
    )
    from charts.city import INCLUSIVENESS, STAKEHOLDER_FIELDS
    from queries.metrics import METRICS

    people = pd.Series({"citizens": 60, "businesses": 10, "research": 10, "associations": 15, "public_bodies": 5})
    assert summaries.stakeholder_mix(people, load_schema(), STAKEHOLDER_FIELDS, "fr") == (
        "Catégorie d'acteurs la plus représentée : citoyens (60,0\u00a0% des participations réparties par catégorie)."
    )
    shares = pd.Series(
        {
            "women_share": 0.52,
            "women_base": 100,
            "under_25_share": np.nan,
            "under_25_base": 0,
            "newcomer_rate": 0.3,
            "newcomers_base": 50,
        }
    )
    assert summaries.inclusiveness(shares, METRICS, INCLUSIVENESS, "fr") == (
        "Là où c'est renseigné : part de femmes 52,0\u00a0%, part de nouveaux participants 30,0\u00a0%."
    )


def test_empty_data_says_so():
    empty = _trend().iloc[0:0]
    assert summaries.trend_by_level(empty, FRAMEWORK, "activities", "month", "fr") == summaries.NO_DATA["fr"]
    assert summaries.engagement_ladder(_levels().iloc[0:0], FRAMEWORK, "en") == summaries.NO_DATA["en"]


# --- Slides from the demo database ----------------------------------------------------


def _view(db, monkeypatch, lang="fr", **query) -> slides.View:
    monkeypatch.setenv("ENGAGEMENT_DB", str(db))
    version = data_version()
    selection = from_query({k: v if isinstance(v, list) else [v] for k, v in query.items()}, choices(version))
    return slides.View(selection, version, lang, "fr", (), *slides.footer_facts(version, lang))


def test_every_slide_of_a_selection_is_built_with_title_takeaway_and_table(demo_db, monkeypatch):
    view = _view(demo_db, monkeypatch)
    keys = slides.available(view.selection)
    assert keys == ["trend", "ladder", "map", "lens", "depth", "adoption", "scatter"] + [
        "answers",
        "delays",
        "answer_ranking",
        "representation",
        "returning",
    ]
    built = slides.build_all(keys, view)
    for slide in built:
        assert slide.title == slide.figure.layout.title.text
        assert slide.summary.endswith(".") and slide.summary != summaries.NO_DATA["fr"]
        assert len(slide.table) > 0 and not slide.table.columns.duplicated().any()
        assert slide.source.startswith("Données de démonstration")
        assert re.fullmatch(r"\d{1,2} \w+\.? \d{4}, \d{2}:\d{2}", slide.data_date), slide.data_date
    assert built[0].table.columns.tolist() == ["Période", "Degré d'engagement", "Activités", "Participations"]
    assert set(built[0].table["Degré d'engagement"]) <= {lv.label("fr") for lv in FRAMEWORK.levels}


@pytest.mark.parametrize("cities", [["69123"], ["69123", "75056", "38185"], []])
def test_no_two_slides_of_a_deck_share_a_title(demo_db, monkeypatch, cities):
    for lang in ("fr", "en"):
        view = _view(demo_db, monkeypatch, lang=lang, city=cities)
        titles = [s.title for s in slides.build_all(slides.available(view.selection), view)]
        assert len(titles) == len(set(titles)), titles


def test_one_city_depth_chart_draws_one_line(demo_db, monkeypatch):
    """Not "Lyon" and "Toute la sélection" as two identical lines."""
    depth = slides.build("depth", _view(demo_db, monkeypatch, city="69123"))
    lines = [t for t in depth.figure.data if t.type == "scatter" and t.showlegend is not False]
    assert len(lines) <= 1, [t.name for t in lines]


def test_slides_depend_on_the_number_of_cities(demo_db, monkeypatch):
    one = _view(demo_db, monkeypatch, city="69123")
    assert slides.available(one.selection)[-2:] == ["funnel", "matrix"]
    funnel = slides.build("funnel", one)
    assert funnel.note == "Lyon" and funnel.summary.startswith("À Lyon, ")
    two = _view(demo_db, monkeypatch, lang="en", city=["69123", "75056"])
    assert "multiples" in slides.available(two.selection) and "funnel" not in slides.available(two.selection)
    assert slides.choose(["funnel", "map", "bogus", "map"], two.selection) == ["map"]
    assert slides.choose([], two.selection) == slides.available(two.selection)


def test_many_cities_continue_on_more_slides_with_a_note(demo_db, monkeypatch):
    """112 cities: the bar charts by city take ten slides of at most PAGE_BARS cities, each
    with its own title and a note saying which cities it shows; every city is on one."""
    view = _view(demo_db, monkeypatch)
    pages = slides.expand(["trend", "ladder", "lens"], view)
    assert pages[:3] == ["trend", "ladder", "ladder@2"] and len(pages) == 1 + 2 * 10
    built = slides.build_all(["ladder"], view)
    assert len(built) == 10
    seen = [{y for trace in s.figure.data for y in trace.y} for s in built]
    assert all(len(cities) <= slides.PAGE_BARS for cities in seen)
    assert len(set().union(*seen)) == 112 and sum(map(len, seen)) == 112
    assert built[0].title == "Degrés d'engagement par ville (1/10)" and built[9].title.endswith("(10/10)")
    assert built[0].note == "Villes 1 à 12 sur 112, par nombre d'activités décroissant."
    assert built[9].note == "Villes 109 à 112 sur 112, par nombre d'activités décroissant."
    assert len({s.title for s in built}) == 10
    assert set(built[1].table["Ville"]) == seen[1]  # the slide's data: its cities


# --- The page (AppTest) ---------------------------------------------------------------


def new_activities(path, count: int, city: str = "Lyon"):
    """A file of `count` new workshops in `city` in March 2024, to load during a test."""
    header = "ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues\n"
    rows = "".join(f"{city};Atelier en direct {n};2024-03-{n + 10};atelier;concertation;1;30;0\n" for n in range(count))
    path.write_text(header + rows, encoding="utf-8")
    return path


def _titles(db, monkeypatch) -> list[str]:
    view = _view(db, monkeypatch)
    return [slides.build(k, view).title for k in slides.expand(slides.available(view.selection), view)]


def test_present_page_shows_the_first_slide_with_its_footer(monkeypatch, demo_db):
    titles = _titles(demo_db, monkeypatch)
    at = run_app(monkeypatch, demo_db, PAGE)
    assert not at.exception
    assert at.title[0].value == "Présenter"
    assert at.header[0].value == titles[0]
    footer = next(m.value for m in at.markdown if "present-footer" in m.value)
    assert "Données de démonstration" in footer and f"1/{len(titles)}" in footer and "mis à jour à" in footer
    assert at.query_params["slide"] == "1"
    assert at.button(key="present_prev").disabled and not at.button(key="present_next").disabled


def test_next_and_previous_move_through_the_slides(monkeypatch, demo_db):
    titles = _titles(demo_db, monkeypatch)
    at = run_app(monkeypatch, demo_db, PAGE)
    at.button(key="present_next").click().run()
    assert at.header[0].value == titles[1] and at.query_params["slide"] == "2"
    at.button(key="present_next").click().run()
    at.button(key="present_prev").click().run()
    assert at.header[0].value == titles[1] and at.query_params["slide"] == "2"


def test_deep_link_to_a_slide_in_presentation_mode(monkeypatch, demo_db):
    titles = _titles(demo_db, monkeypatch)
    at = run_app(monkeypatch, demo_db, present="1", slide="3")  # from the app's root: ?present=1 presents
    assert not at.exception
    assert at.header[0].value == titles[2]
    assert not at.title  # no page title in full screen: the slide is the page
    assert at.button(key="present_exit").label == "Quitter"
    at.button(key="present_next").click().run()
    assert at.header[0].value == titles[3] and at.query_params["slide"] == "4"


@pytest.mark.parametrize(("slide", "shown"), [("99", -1), ("abc", 0), ("-4", 0)])
def test_a_slide_number_out_of_range_is_brought_back(monkeypatch, demo_db, slide, shown):
    titles = _titles(demo_db, monkeypatch)
    at = run_app(monkeypatch, demo_db, present="1", slide=slide)
    assert not at.exception
    assert at.header[0].value == titles[shown]
    assert at.query_params["slide"] == str(len(titles) if shown == -1 else 1)


def test_chosen_charts_in_the_link_set_the_slides(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, present="1", charts=["adoption", "trend", "nonsense"], lang="en")
    assert at.header[0].value == "Adoption rate of proposals by degree of engagement"
    footer = next(m.value for m in at.markdown if "present-footer" in m.value)
    assert "data as of" in footer and "1/2" in footer and "updated at" in footer


def test_exit_leaves_presentation_mode(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, present="1", slide="2")
    at.button(key="present_exit").click().run()
    assert "present" not in at.query_params and at.title[0].value == "Présenter"
    assert at.query_params["slide"] == "2"


def test_visitors_who_are_not_signed_in_may_not_save_a_deck(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, PAGE)
    assert not at.exception
    assert not [t for t in at.text_input if t.key == "present_deck_name"]
    assert any("Connectez-vous" in c.value for c in at.caption)


def test_a_deck_is_saved_then_reopened_from_its_link(monkeypatch, demo_copy):
    monkeypatch.setenv("ENGAGEMENT_DEMO", "1")  # signed in as the demo coordinator
    at = run_app(monkeypatch, demo_copy, PAGE, city=["69123"], lens="arnstein", auto="20")
    at.multiselect(key="present_charts").set_value(["matrix", "ladder", "lens"]).run()
    at.text_input(key="present_deck_name").input("Bilan Lyon — comité")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.exception
    assert at.success[0].value == "Présentation « Bilan Lyon — comité » enregistrée. Lien :"
    assert at.code[0].value == "/presenter?deck=bilan-lyon-comite"
    with connect(demo_copy, read_only=True) as con:
        assert con.execute("SELECT created_by FROM decks").fetchall() == [("demo-coordinator",)]

    again = run_app(monkeypatch, demo_copy, present="1", deck="bilan-lyon-comite", slide="3")
    assert not again.exception
    params = {k: again.query_params[k] for k in ("city", "charts", "lens", "auto", "slide")}
    assert params == {
        "city": "69123",
        "charts": ["matrix", "ladder", "lens"],
        "lens": "arnstein",
        "auto": "20",
        "slide": "3",
    }
    assert again.header[0].value == "Activités par ville — Échelle d'Arnstein"


def test_an_unknown_deck_says_so_and_shows_the_current_selection(monkeypatch, demo_db):
    at = run_app(monkeypatch, demo_db, PAGE, deck="nope")
    assert not at.exception
    assert "Aucune présentation enregistrée ne s'appelle « nope »" in at.warning[-1].value
    assert at.header  # the current selection's slides


def test_a_new_load_shows_on_the_slide(monkeypatch, demo_copy, tmp_path):
    """AppTest reruns the script where the browser reruns the fragment (see
    tests/test_browser_present.py): the same slide then shows the new figures."""
    at = run_app(monkeypatch, demo_copy, PAGE, city="69123")
    before = next(m.value for m in at.markdown if "present-takeaway" in m.value)
    assert "26 activités" in before  # Lyon in the demo data
    load = run_cli("load", str(new_activities(tmp_path / "lyon.csv", 5)), db=demo_copy)
    assert load.returncode == 0, load.stdout
    at.run()
    after = next(m.value for m in at.markdown if "present-takeaway" in m.value)
    assert "31 activités" in after and at.query_params["slide"] == "1"


def test_user_text_is_shown_as_text_not_markdown(monkeypatch, demo_copy):
    from etl.db import open_database

    con = open_database(demo_copy)
    decks.save(con, "Bilan [ici](http://evil.example) **gras**", {"charts": ["trend"]})
    con.close()
    at = run_app(monkeypatch, demo_copy, PAGE, deck="bilan-ici-http-evil-example-gras")
    assert (
        at.title[0].value == "Présentation « Bilan \\[ici\\]\\(http\u200b\\:\\/\\/evil\\.example\\) \\*\\*gras\\*\\* »"
    )
    assert "[Bilan \\[ici\\]" in next(m.value for m in at.markdown if "Présentations enregistrées" in m.value)
    hostile = run_app(monkeypatch, demo_copy, PAGE, deck="[clic](http://evil.example)")
    assert "ne s'appelle « … »" in hostile.warning[-1].value and "evil" not in hostile.warning[-1].value
