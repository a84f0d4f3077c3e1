"""The reference list is the mission's 112 cities (data/cities.csv): every one a member,
resolvable by each of its names and aliases, with a sourced population (or the reason
there is none), named in French and English, on the offline map; the three cities of the
previous list that are not members are not."""

from __future__ import annotations

import csv
import json
import math
import sys

import duckdb
import pandas as pd
import pytest

from etl import reference
from etl.cities import NewCity, add_city
from etl.db import DatabaseError, open_database
from etl.paths import CITIES_FILE, DATA_DIR
from etl.schema import normalize_key
from etl.validate import Cities
from queries import prepare, run
from queries.cities import ReferenceCity, group_label, labels, names
from tests.conftest import run_cli

with open(CITIES_FILE, encoding="utf-8", newline="") as fh:
    ROWS = list(csv.DictReader(fh))
BY_CODE = {r["code"]: r for r in ROWS}
NOT_MEMBERS = ("AT-wien", "CH-zurich", "EE-tallinn")
# The codes of the previous list's members: records store them, they must not change.
PREVIOUS_CODES = (
    "244900015 243300316 242100410 245900428 200040715 69123 13055 244400404 75056 AT-klagenfurt BG-sofia "
    "DE-aachen DE-dresden DE-frankfurt-am-main DE-heidelberg DE-leipzig DE-munchen DK-aarhus DK-kobenhavn "
    "ES-barcelona ES-madrid ES-valencia ES-valladolid FI-espoo FI-helsinki FI-turku GB-glasgow GR-athina "
    "GR-thessaloniki HR-zagreb IE-dublin IS-reykjavik IT-milano IT-prato IT-roma LT-vilnius LV-riga "
    "NL-amsterdam NO-oslo NO-trondheim PL-krakow PL-warszawa PL-wroclaw PT-guimaraes PT-lisboa RO-bucuresti "
    "SE-malmo SE-stockholm SK-bratislava"
).split()


def keys_of(row: dict) -> list[str]:
    return [row["code"], row["nom"], row["nom_fr"], row["nom_en"], *filter(None, row["alias"].split("|"))]


# --- the list -------------------------------------------------------------------------


def test_the_list_holds_the_112_members_100_in_the_eu_12_associated_in_35_countries():
    assert len(ROWS) == len(BY_CODE) == 112
    assert all(r["mission"] == "true" for r in ROWS)
    groups = pd.Series([r["groupe"] for r in ROWS]).value_counts().to_dict()
    assert groups == {"EU": 100, "associated": 12}
    assert len({r["pays"] for r in ROWS}) == 35
    assert {r["pays"] for r in ROWS if r["groupe"] == "associated"} == {"AL", "BA", "IS", "IL", "ME", "NO", "TR", "GB"}
    # the cities the previous list missed, among them those the issue names
    for code in ["PL-lodz", "PL-rzeszow", "PT-porto", "ES-sevilla", "ES-zaragoza", "ES-vitoria-gasteiz"]:
        assert code in BY_CODE
    for code in ["IT-bologna", "IT-torino", "HU-budapest", "SI-ljubljana", "RO-cluj-napoca", "EE-tartu"]:
        assert code in BY_CODE
    for code in ["FI-tampere", "SE-goteborg", "NL-rotterdam", "NL-utrecht", "TR-istanbul", "TR-izmir"]:
        assert code in BY_CODE
    assert {"BA-sarajevo", "GB-bristol"} <= BY_CODE.keys()


def test_the_previous_codes_are_kept():
    assert set(PREVIOUS_CODES) <= BY_CODE.keys()


def test_the_three_non_members_are_not_members(check_con):
    assert not set(NOT_MEMBERS) & BY_CODE.keys()
    known = Cities.from_db(check_con)
    for name in ["Wien", "Vienna", "Vienne", "Zürich", "Zurich", "Tallinn", "AT-wien", "CH-zurich", "EE-tallinn"]:
        assert known.resolve(name) is None, name
    members = check_con.execute("SELECT count(*) FROM cities WHERE mission").fetchone()[0]
    assert members == check_con.execute("SELECT count(*) FROM cities").fetchone()[0] == 112


def test_every_city_resolves_by_each_of_its_names_and_aliases(check_con):
    known = Cities.from_db(check_con)
    for row in ROWS:
        for name in keys_of(row):
            assert known.resolve(name) == row["code"], (name, row["code"])
            assert known.resolve(f"  {name.upper()} ") == row["code"], name


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Lodz", "PL-lodz"),
        ("Łódź", "PL-lodz"),
        ("LÓDŹ", "PL-lodz"),
        ("Warsaw", "PL-warszawa"),
        ("Varsovie", "PL-warszawa"),
        ("Krakow", "PL-krakow"),
        ("Cracovie", "PL-krakow"),
        ("Wroclaw", "PL-wroclaw"),
        ("Lisbon", "PT-lisboa"),
        ("Lisbonne", "PT-lisboa"),
        ("Seville", "ES-sevilla"),
        ("Séville", "ES-sevilla"),
        ("Saragosse", "ES-zaragoza"),
        ("Gothenburg", "SE-goteborg"),
        ("Goteborg", "SE-goteborg"),
        ("Den Haag", "NL-den-haag"),
        ("The Hague", "NL-den-haag"),
        ("La Haye", "NL-den-haag"),
        ("'s-Gravenhage", "NL-den-haag"),
        ("Bucharest", "RO-bucuresti"),
        ("Bucuresti", "RO-bucuresti"),
        ("Copenhagen", "DK-kobenhavn"),
        ("Copenhague", "DK-kobenhavn"),
        ("Antwerp", "BE-antwerpen"),
        ("Anvers", "BE-antwerpen"),
        ("Bruxelles", "BE-bruxelles-capitale"),
        ("Munich", "DE-munchen"),
        ("Muenchen", "DE-munchen"),
        ("Sonderborg", "DK-sonderborg"),
        ("Ghawdex", "MT-ghawdex"),
        ("Gozo", "MT-ghawdex"),
        ("Reykjavik", "IS-reykjavik"),
        ("Istanbul", "TR-istanbul"),
        ("Αθήνα", "GR-athina"),
        ("Athènes", "GR-athina"),
        ("Eindhoven", "NL-eindhoven-helmond"),
        ("Helmond", "NL-eindhoven-helmond"),
        ("Bordeaux", "243300316"),
        ("Nantes", "244400404"),
        ("Dunkirk", "245900428"),
    ],
)
def test_the_names_cities_and_platforms_write(check_con, written, code):
    assert Cities.from_db(check_con).resolve(written) == code


def test_no_alias_of_one_city_is_a_name_or_alias_of_another():
    owners: dict[str, set[str]] = {}
    for row in ROWS:
        for name in keys_of(row):
            assert normalize_key(name), f"{name!r} of {row['code']} has no letter or digit"
            owners.setdefault(normalize_key(name), set()).add(row["code"])
    shared = {key: codes for key, codes in owners.items() if len(codes) > 1}
    assert not shared, shared


def test_text_without_a_letter_resolves_to_no_city(check_con):
    known = Cities.from_db(check_con)
    assert known.resolve("—") is None and known.resolve("") is None and known.resolve("???") is None


# --- member bodies and populations ------------------------------------------------------


def test_every_population_has_a_source_and_a_year_or_is_flagged():
    for row in ROWS:
        assert row["perimetre"] and row["perimeter_en"], row["code"]
        if row["population"]:
            assert int(row["population"]) > 0 and row["source_population"], row["code"]
            # no year only for GeoNames figures ("year unknown")
            assert row["annee_population"] or row["source_population"].startswith("GeoNames"), row["code"]
        else:  # no figure: the reason is said, in both languages
            assert not row["annee_population"] and not row["source_population"], row["code"]
            assert row["remarque"] and row["note_en"], row["code"]
    missing = sorted(r["code"] for r in ROWS if not r["population"])
    assert missing == ["BA-sarajevo", "MT-ghawdex"]


def test_the_population_is_that_of_the_member_body():
    french = {code: int(BY_CODE[code]["population"]) for code in ("244900015", "243300316", "242100410")}
    assert french == {"244900015": 308_806, "243300316": 843_738, "242100410": 258_630}
    assert BY_CODE["243300316"]["perimetre"] == "EPCI 243300316 Bordeaux Métropole (28 communes)"
    assert BY_CODE["69123"]["population"] == "520774" and "9 arrondissements" in BY_CODE["69123"]["perimetre"]
    # Brussels: the Region (IBSA), not the City of Brussels nor GeoNames' "Brussels"
    brussels = BY_CODE["BE-bruxelles-capitale"]
    assert (brussels["population"], brussels["annee_population"]) == ("1219970", "2021")
    assert brussels["source_population"].startswith("IBSA")
    # Bucharest: Sector 2 (GeoNames), not the municipality's 1.7 million of the facts file
    assert BY_CODE["RO-bucuresti"]["population"] == "345370" and "Sector 2" in BY_CODE["RO-bucuresti"]["perimeter_en"]
    assert BY_CODE["NL-eindhoven-helmond"]["population"] == str(209_620 + 74_740)
    assert BY_CODE["LU-differdange"]["population"] == "29703"
    assert "urban area" in BY_CODE["BA-sarajevo"]["perimeter_en"] and "Gozo" in BY_CODE["MT-ghawdex"]["perimeter_en"]
    # the facts file's figures with their year where they count the city
    assert (BY_CODE["PL-warszawa"]["population"], BY_CODE["PL-warszawa"]["annee_population"]) == ("1860281", "2023")


def test_every_city_has_coordinates_and_where_they_come_from():
    for row in ROWS:
        assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180, row["code"]
        assert row["source_coordonnees"], row["code"]


def test_build_cities_rebuilds_the_csv_from_the_project_copies(capsys):
    """data/build_cities.py recomputes data/cities.csv from data/sources/ (the copies of
    the shared reference data): same bytes."""
    sys.path.insert(0, str(DATA_DIR))
    try:
        import build_cities
    finally:
        sys.path.remove(str(DATA_DIR))
    assert build_cities.main([]) == 0, capsys.readouterr().err


# --- names in both languages ------------------------------------------------------------


def test_display_names_in_french_and_english():
    for lang in ("nom_fr", "nom_en"):
        shown = [r[lang] for r in ROWS]
        assert all(shown) and len(set(shown)) == len(shown), lang  # one name, one city
    expected = {
        "PT-lisboa": ("Lisbonne", "Lisbon"),
        "PL-warszawa": ("Varsovie", "Warsaw"),
        "PL-krakow": ("Cracovie", "Kraków"),
        "DK-kobenhavn": ("Copenhague", "Copenhagen"),
        "BE-antwerpen": ("Anvers", "Antwerp"),
        "DE-munchen": ("Munich", "Munich"),
        "IT-milano": ("Milan", "Milan"),
        "NL-den-haag": ("La Haye", "The Hague"),
        "RO-bucuresti": ("Bucarest (secteur 2)", "Bucharest (Sector 2)"),
        "69123": ("Lyon", "Lyon"),
    }
    assert {code: (BY_CODE[code]["nom_fr"], BY_CODE[code]["nom_en"]) for code in expected} == expected


def test_names_and_labels_put_the_local_name_beside(check_con):
    prepare(check_con)
    cities = {}
    for lang in ("fr", "en"):
        frame = run(check_con, "cities", {"lang": lang}).set_index("code")
        assert frame.loc["PT-lisboa", "name"] == {"fr": "Lisbonne", "en": "Lisbon"}[lang]
        assert frame.loc["PT-lisboa", "local_name"] == "Lisboa"
        cities[lang] = frame
    fr, en = cities["fr"], cities["en"]
    rows = [
        ReferenceCity(
            c, fr.loc[c, "local_name"], fr.loc[c, "name"], en.loc[c, "name"], fr.loc[c, "country"], "EU", True
        )
        for c in fr.index
    ]
    by = {city.code: city for city in rows}
    assert by["PT-lisboa"].label("fr") == "Lisbonne · Lisboa" and by["PT-lisboa"].label("en") == "Lisbon · Lisboa"
    assert by["69123"].label("fr") == "Lyon"  # the same name: nothing beside it
    assert by["IS-reykjavik"].label("fr") == "Reykjavik"  # an accent is not another name
    ordered = list(names(by, "fr").values())
    assert ordered.index("Łódź") < ordered.index("Lund") < ordered.index("Lyon")  # Ł with the L
    in_english = labels(by, "en")
    assert in_english["PT-lisboa"] == "Lisbon · Lisboa" and in_english["DE-munchen"] == "Munich · München"
    order = list(in_english)
    assert order.index("NL-amsterdam") < order.index("BE-antwerpen") < order.index("GR-athina")
    assert group_label("associated", "fr") == "Pays associés" and group_label("EU", "en") == "EU member states"


# --- the offline map ---------------------------------------------------------------------


def _rings(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _inside(point: tuple[float, float], ring: list) -> bool:
    x, y, odd = *point, False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            odd = not odd
    return odd


def _coast_km(point: tuple[float, float], ring: list) -> float:
    """Distance from `point` to the outline `ring` (equirectangular, fine at this scale)."""
    k = math.cos(math.radians(point[1]))
    px, py = point[0] * k, point[1]
    best = math.inf
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        ax, ay, bx, by = x1 * k, y1, x2 * k, y2
        dx, dy = bx - ax, by - ay
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(px - (ax + t * dx), py - (ay + t * dy)) * 111.2)
    return best


def test_the_offline_map_covers_every_member():
    """Every city lies on a country of the base layer, or within 20 km of its coast (the
    1:110m outlines cut some ports: Istanbul, on the Bosphorus, is 13 km off); Istanbul,
    Izmir, Eilat, Reykjavík and Gozo (Malta, from Natural Earth 1:50m) included."""
    geo = json.loads((DATA_DIR / "geo" / "europe_countries.geojson").read_text(encoding="utf-8"))
    shapes = {}
    for feature in geo["features"]:
        shapes.setdefault(feature["properties"]["iso_a2"], []).extend(_rings(feature["geometry"]))
    every = [poly for polys in shapes.values() for poly in polys]
    assert "MT" in shapes
    for row in ROWS:
        point = (float(row["longitude"]), float(row["latitude"]))
        on_land = any(_inside(point, poly[0]) for poly in every)
        assert on_land or min(_coast_km(point, poly[0]) for poly in every) < 20, row["code"]
    for code in ("TR-izmir", "IS-reykjavik", "MT-ghawdex"):
        row = BY_CODE[code]
        point = (float(row["longitude"]), float(row["latitude"]))
        assert any(_inside(point, poly[0]) for poly in shapes[row["pays"]]), code


# --- existing databases ------------------------------------------------------------------


def test_the_migration_step_keeps_only_non_members_that_hold_something(tmp_path):
    """Adopting the mission list in a database of the previous list: a non-member that an
    account names stays, outside the mission; one that nothing refers to goes; a changed
    population is updated; a coordinator's own city stays, outside the mission."""
    con = open_database(tmp_path / "db.duckdb")
    con.execute("UPDATE cities SET population = 1, nom = 'Bordeaux' WHERE code = '243300316'")
    for code, name, country in (("CH-zurich", "Zürich", "CH"), ("EE-tallinn", "Tallinn", "EE")):
        con.execute(
            "INSERT INTO cities (code, nom, pays, population, alias, added_by) VALUES (?, ?, ?, 1000, [], 'reference')",
            [code, name, country],
        )
    con.execute(
        "INSERT INTO cities (code, nom, pays, alias, added_by, mission) VALUES ('XX-own', 'Own', 'FR', [], 'bob', true)"
    )
    con.execute("INSERT INTO accounts (login, role, cities) VALUES ('ed@zurich.ch', 'editor', ['CH-zurich'])")
    con.execute("DELETE FROM cities WHERE code = 'PT-porto'")  # a member the previous list lacked
    con.execute("BEGIN TRANSACTION")
    reference.adopt_mission_list(con)
    con.execute("COMMIT")
    rows = dict(con.execute("SELECT code, mission FROM cities").fetchall())
    assert rows["CH-zurich"] is False and "EE-tallinn" not in rows and rows["XX-own"] is False
    assert rows["PT-porto"] is True and sum(rows.values()) == 112
    zurich = con.execute("SELECT nom_fr, groupe, remarque FROM cities WHERE code = 'CH-zurich'").fetchone()
    assert zurich[0] == "Zurich" and zurich[1] is None and zurich[2].startswith("Hors mission")
    assert con.execute("SELECT nom, population FROM cities WHERE code = '243300316'").fetchone() == (
        "Bordeaux Métropole",
        843_738,
    )
    con.close()


def test_cities_list_shows_membership(tmp_path):
    db = tmp_path / "db.duckdb"
    out = run_cli("cities", "list", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "112 villes de la mission (100 dans l'UE, 12 dans des pays associés)." in out.stdout
    lisbon = next(line for line in out.stdout.splitlines() if line.strip().startswith("PT-lisboa"))
    assert "Lisbonne" in lisbon and "Lisboa" in lisbon and " oui " in lisbon
    gozo = next(line for line in out.stdout.splitlines() if line.strip().startswith("MT-ghawdex"))
    assert "aucune" in gozo and "inconnue" in gozo
    english = run_cli("--lang", "en", "cities", "list", "--db", str(db))
    assert "112 mission cities (100 in the EU, 12 in associated countries)." in english.stdout
    whole = run_cli("cities", "list", "--csv", "--db", str(db))
    frame = pd.read_csv(pd.io.common.StringIO(whole.stdout), dtype={"code": str})
    assert len(frame) == 112 and {"nom_fr", "nom_en", "groupe", "mission", "remarque"} <= set(frame.columns)


def test_a_coordinator_adds_a_city_outside_the_mission_without_a_population(tmp_path):
    con = open_database(tmp_path / "db.duckdb")
    city = NewCity("FR-x", "Ville X", "FR", None, None, None, 45.0, 5.0, name_en="X Town", remark="Pas de chiffre.")
    add_city(con, city, user="bob")
    row = con.execute("SELECT mission, population, nom_en, remarque FROM cities WHERE code = 'FR-x'").fetchone()
    assert row == (False, None, "X Town", "Pas de chiffre.")
    with pytest.raises(DatabaseError, match="source"):
        add_city(con, NewCity("FR-y", "Ville Y", "FR", 1000, 2024, "", 45.0, 5.0), user="bob")
    with pytest.raises(DatabaseError, match="désigne déjà"):
        add_city(con, NewCity("FR-z", "Ville Z", "FR", 10, 2024, "INSEE", 45.0, 5.0, name_en="Lisbon"), user="bob")
    with pytest.raises(DatabaseError, match="Groupe inconnu"):
        add_city(con, NewCity("FR-w", "Ville W", "FR", 10, 2024, "INSEE", 45.0, 5.0, group="UE"), user="bob")
    con.close()


def test_a_fresh_database_records_no_city_event(tmp_path):
    """Seeding a new database is not a change of data: its version starts at 0."""
    con = open_database(tmp_path / "db.duckdb")
    assert con.execute("SELECT count(*) FROM data_events").fetchone()[0] == 0
    con.close()
    con = duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM cities WHERE nom_fr IS NULL OR nom_en IS NULL").fetchone()[0] == 0
    con.close()
