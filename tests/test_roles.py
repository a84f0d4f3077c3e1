"""The role checks live in the data layer: load, history, rollback, original files and
reference cities refuse what the principal may not do, even when called directly."""

from __future__ import annotations

import pytest

from etl import archive
from etl.access import AccessDenied, Principal
from etl.cities import NewCity, add_city
from etl.load import history, load_file, plan_rollback, rollback
from tests.conftest import FIXTURES

LYON, PARIS, DIJON, ANGERS = "69123", "75056", "242100410", "244900015"
LYON_ONLY = FIXTURES / "booleans.csv"  # 10 rows, all Lyon
LYON_AND_PARIS = FIXTURES / "utf8_bom.csv"  # line 2 Lyon, line 3 Paris
DIJON_AND_ANGERS = FIXTURES / "semicolon_cp1252.csv"

VIEWER = Principal("viewer@example.org", "viewer")
LYON_EDITOR = Principal("lyon@example.org", "editor", frozenset({LYON}))
DIJON_EDITOR = Principal("dijon@example.org", "editor", frozenset({DIJON}))
BURGUNDY_EDITOR = Principal("ba@example.org", "editor", frozenset({DIJON, ANGERS}))
COORD = Principal("coord@example.org", "coordinator")


def counts(con) -> tuple:
    """What a load writes: records, loads, load keys, data events."""
    return tuple(
        con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("records", "loads", "load_keys", "data_events")
    )


def test_principal_rights():
    assert (VIEWER.writable_cities, VIEWER.can_upload(), VIEWER.can_manage()) == (frozenset(), False, False)
    assert (LYON_EDITOR.writable_cities, LYON_EDITOR.can_upload(), LYON_EDITOR.can_manage()) == ({LYON}, True, False)
    assert (COORD.writable_cities, COORD.can_upload(), COORD.can_manage()) == (None, True, True)
    assert Principal("a", "admin").can_manage() and Principal("a", "admin").writable_cities is None
    assert not Principal("e", "editor").can_upload()  # an editor without a city
    assert LYON_EDITOR.may_write([LYON]) and not LYON_EDITOR.may_write([LYON, PARIS])
    assert COORD.may_write([LYON, PARIS]) and not VIEWER.may_write([LYON])
    with pytest.raises(ValueError):
        Principal("x", "superuser")


def test_editor_loading_another_citys_row_is_rejected_and_writes_nothing(con, db_path):
    before = counts(con)
    report = load_file(con, LYON_AND_PARIS, principal=LYON_EDITOR)
    assert report.status == "rejected"
    assert [p.key() for p in report.errors] == [(3, "ville", "forbidden-city")]
    assert "Paris" in report.errors[0].message("fr") and "Paris" in report.errors[0].message("en")
    assert counts(con) == before
    assert not (db_path.parent / "test.duckdb.files").exists()  # not even the original is archived


def test_editor_loads_its_own_city_under_its_login(con):
    report = load_file(con, LYON_ONLY, principal=LYON_EDITOR)
    assert (report.status, report.inserted) == ("loaded", 10)
    assert con.execute("SELECT user_name, cities, is_demo FROM loads").fetchone() == (LYON_EDITOR.login, [LYON], False)
    assert load_file(con, LYON_ONLY, principal=LYON_EDITOR).status == "already-loaded"


def test_explicit_allowed_cities_are_narrowed_by_the_principal(con):
    report = load_file(con, LYON_AND_PARIS, principal=LYON_EDITOR, allowed_cities={LYON, PARIS})
    assert report.status == "rejected" and [p.code for p in report.errors] == ["forbidden-city"]


@pytest.mark.parametrize("principal", [VIEWER, Principal("nocity", "editor")])
def test_viewer_and_editor_without_city_cannot_load(con, principal):
    before = counts(con)
    with pytest.raises(AccessDenied) as refused:
        load_file(con, LYON_ONLY, principal=principal)
    assert "éditeur" in refused.value.fr and "city editor" in refused.value.en
    assert counts(con) == before


def test_another_citys_earlier_load_of_the_same_file_is_not_revealed(con):
    load_file(con, LYON_AND_PARIS, principal=COORD)
    report = load_file(con, LYON_AND_PARIS, principal=LYON_EDITOR)
    assert report.status == "rejected" and report.previous_load is None


def test_history_is_limited_to_the_editors_cities(con):
    lyon = load_file(con, LYON_ONLY, principal=COORD).load_id
    burgundy = load_file(con, DIJON_AND_ANGERS).load_id
    assert [h["load_id"] for h in history(con, principal=LYON_EDITOR)] == [lyon]
    assert [h["load_id"] for h in history(con, principal=DIJON_EDITOR)] == [burgundy]
    assert [h["load_id"] for h in history(con, principal=COORD)] == [burgundy, lyon]
    assert history(con, cities={DIJON}, principal=LYON_EDITOR) == []  # a filter cannot widen the scope
    with pytest.raises(AccessDenied, match="tableaux de bord"):
        history(con, principal=VIEWER)


def test_editor_cannot_roll_back_a_load_with_another_citys_rows(con):
    load = load_file(con, DIJON_AND_ANGERS).load_id
    before = (counts(con), con.execute("SELECT count(*) FROM activities").fetchone()[0])
    for editor in (LYON_EDITOR, DIJON_EDITOR):  # Dijon's editor lacks Angers
        with pytest.raises(AccessDenied) as refused:
            plan_rollback(con, load, principal=editor)
        assert ANGERS in refused.value.fr and ANGERS in refused.value.en
        with pytest.raises(AccessDenied):
            rollback(con, load, principal=editor)
    with pytest.raises(AccessDenied):
        rollback(con, load, principal=VIEWER)
    assert (counts(con), con.execute("SELECT count(*) FROM activities").fetchone()[0]) == before
    assert con.execute("SELECT status FROM loads").fetchone()[0] == "loaded"
    assert plan_rollback(con, load, principal=BURGUNDY_EDITOR).removes == 2
    rollback(con, load, principal=BURGUNDY_EDITOR)
    assert con.execute("SELECT status, rolled_back_by FROM loads").fetchone() == ("rolled_back", BURGUNDY_EDITOR.login)


def test_coordinator_rolls_back_any_load(con):
    load = load_file(con, LYON_AND_PARIS, principal=COORD).load_id
    rollback(con, load, principal=COORD)
    assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 0


def test_original_files_go_only_to_who_owns_every_row(con):
    load = load_file(con, DIJON_AND_ANGERS).load_id
    expected = (DIJON_AND_ANGERS.name, DIJON_AND_ANGERS.read_bytes())
    assert archive.original(con, load, principal=BURGUNDY_EDITOR) == expected  # every row is Dijon's or Angers'
    assert archive.original(con, load, principal=COORD) == expected
    with pytest.raises(AccessDenied, match="copie de vos lignes"):
        archive.original(con, load, principal=DIJON_EDITOR)  # touches Dijon, but Angers' rows are not its own
    with pytest.raises(AccessDenied, match="coordination"):
        archive.original(con, load, principal=LYON_EDITOR)
    with pytest.raises(AccessDenied):
        archive.original(con, load, principal=VIEWER)


NANTES = "244400404"
NANTES_EDITOR = Principal("nantes@example.org", "editor", frozenset({NANTES}))
MIXED = (
    "id_activite;ville;titre;date_debut;methode;niveau_engagement;nb_seances;nb_participants;nb_propositions_retenues;Contact privé\n"
    "L-1;Lyon;Atelier climat;2024-03-14;atelier;concertation;2;40;3;lyon.secret@example.org\n"
    "N-1;Nantes Métropole;Budget participatif;2024-04-02;budget_participatif;codecision;1;120;0;nantes.secret@example.org\n"
    "L-2;Lyon;Balade urbaine;2024-05-02;atelier;information;1;15;0;\n"
)


def test_a_city_editor_gets_a_copy_of_its_own_rows_of_a_mixed_load(con, write_csv):
    """Issue 20: the Lyon editor received a coordinator's Lyon + Nantes file, with Nantes'
    rows and a private contact column."""
    load = load_file(con, write_csv("bilan.csv", MIXED), principal=COORD).load_id
    with pytest.raises(AccessDenied):
        archive.original(con, load, principal=LYON_EDITOR)
    with pytest.raises(AccessDenied):
        archive.original(con, load, principal=LYON_EDITOR, loaded=True)
    name, data = archive.own_rows(con, load, principal=LYON_EDITOR)
    text = data.decode("utf-8-sig")
    assert name == "bilan (vos lignes).csv"
    assert "L-1" in text and "L-2" in text and "N-1" not in text and "Nantes" not in text
    assert "secret" not in text and "Contact" not in text  # only the contract's columns
    assert len(text.strip().splitlines()) == 3  # the header and Lyon's two rows
    assert "N-1" in archive.own_rows(con, load, principal=NANTES_EDITOR, lang="en")[1].decode("utf-8-sig")
    with pytest.raises(AccessDenied):
        archive.own_rows(con, load, principal=DIJON_EDITOR)  # none of its rows: nothing
    with pytest.raises(AccessDenied):
        archive.own_rows(con, load, principal=VIEWER)
    # A later load holding Lyon's rows unchanged: its copy has them too, as they were.
    again = load_file(con, write_csv("encore.csv", MIXED.replace("Budget", "Budget 2")), principal=COORD).load_id
    assert archive.own_rows(con, again, principal=LYON_EDITOR)[1].decode("utf-8-sig").count("L-") == 2


def test_demo_principal_writes_only_to_a_demo_only_database(con):
    demo_editor = Principal("démo", "editor", frozenset({LYON}), demo=True)
    demo_coord = Principal("démo", "coordinator", demo=True)
    first = load_file(con, LYON_ONLY, principal=demo_editor)
    assert first.status == "loaded"
    assert con.execute("SELECT is_demo, user_name FROM loads").fetchone() == (True, "démo")
    real = load_file(con, DIJON_AND_ANGERS)  # the command-line operator loads real data
    before = counts(con)
    with pytest.raises(AccessDenied) as refused:
        load_file(con, LYON_AND_PARIS, principal=demo_coord)
    assert "démonstration" in refused.value.fr and "Demo mode" in refused.value.en
    with pytest.raises(AccessDenied):
        rollback(con, first.load_id, principal=demo_coord)
    with pytest.raises(AccessDenied):
        add_city(con, _city("FR-demo"), principal=demo_coord)
    assert counts(con) == before
    rollback(con, real.load_id)  # once the real data is gone, demo mode writes again
    assert load_file(con, LYON_AND_PARIS, principal=demo_coord).status == "loaded"


def _city(code: str) -> NewCity:
    return NewCity(code, f"Ville {code}", "fr", 1000, 2024, "test", 45.0, 5.0, alias=[f"Alias {code}"])


def test_only_coordinators_add_reference_cities(con):
    for principal in (VIEWER, LYON_EDITOR):
        with pytest.raises(AccessDenied, match="coordination"):
            add_city(con, _city("FR-x"), principal=principal)
    assert con.execute("SELECT count(*) FROM cities WHERE code = 'FR-x'").fetchone()[0] == 0
    add_city(con, _city("FR-x"), principal=COORD)
    add_city(con, _city("FR-y"))  # the command-line operator
    rows = con.execute("SELECT code, pays, alias, added_by FROM cities WHERE code LIKE 'FR-%' ORDER BY 1").fetchall()
    assert rows == [("FR-x", "FR", ["Alias FR-x"], COORD.login), ("FR-y", "FR", ["Alias FR-y"], None)]
