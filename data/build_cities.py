"""Build data/cities.csv: the 112 cities of the EU Mission "100 climate-neutral and smart
cities by 2030", each with its names, its member body and a sourced population.

Maintainer tool, not imported by the application. Standard library only (and the ETL's
name folding, so that names are compared as the ETL compares them).

Usage:
    python data/build_cities.py                                  # check data/cities.csv against data/sources/
    python data/build_cities.py /work/shared/data --write        # rebuild from the shared reference data:
                                                                 # refresh data/sources/ and write data/cities.csv
    python data/build_cities.py data/sources --write             # rebuild from the copies in the project

Inputs (a folder laid out like the shared reference data; data/sources/ holds copies):
    mission_cities/mission_cities.csv   the 112 members: local and English names, country, EU or
                                        associated, where membership is stated, GeoNames coordinates
                                        and populations (CC BY 4.0), what the member body is
    city_population_facts.csv           populations with year and source (Eurostat, national offices)
    insee/                              French EPCI composition and legal populations (Licence Ouverte);
                                        data/sources/insee/ keeps only the rows used here

What the project adds (below, in this file): the stable codes, the French and English display
names, the aliases cities and platforms write, the perimeter of each member body, and the
population rule:
    1. France: INSEE, sum of the "Population municipale" of the member communes (Paris, Lyon and
       Marseille as the sum of their arrondissements), census 2022;
    2. elsewhere, the figure of city_population_facts.csv (Eurostat or the national office, with
       its year) when it counts the member body;
    3. a figure found for the member body itself (OVERRIDES: Brussels-Capital Region, Differdange);
    4. otherwise GeoNames, with no year ("year unknown");
    5. no figure at all when none counts the member body (NO_FIGURE): per-10,000 figures then
       show "—" with the remark as the reason.

With --write the output is written; without it, the rows are compared with data/cities.csv
and the exit status is 1 on any difference (tests/test_cities.py runs this check).
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent
sys.path.insert(0, str(DATA.parent))
from etl.schema import normalize_key as fold  # noqa: E402  (names are compared as the ETL compares them)

SOURCES = DATA / "sources"
OUTPUT = DATA / "cities.csv"

MISSION_FILE = Path("mission_cities") / "mission_cities.csv"
MISSION_NOTE = Path("mission_cities") / "SOURCE.txt"
FACTS_FILE = Path("city_population_facts.csv")
EPCI_FILE = Path("insee") / "EPCI_au_01-01-2024~EPCI.csv"
COMPOSITION_FILE = Path("insee") / "EPCI_au_01-01-2024~Composition_communale.csv"
POPULATION_FILE = Path("insee") / "ensemble_2025~Communes.csv"
INSEE_NOTE = Path("insee") / "SOURCE.txt"

COLUMNS = [
    "code",
    "nom",
    "nom_fr",
    "nom_en",
    "pays",
    "groupe",
    "mission",
    "population",
    "annee_population",
    "source_population",
    "perimetre",
    "perimeter_en",
    "latitude",
    "longitude",
    "source_coordonnees",
    "alias",
    "source_adhesion",
    "remarque",
    "note_en",
]

INSEE_YEAR = 2022  # statistical reference date of the 2025 legal populations
INSEE_SOURCE = "INSEE, populations légales 2022 (en vigueur au 1er janvier 2025)"
GEONAMES_SOURCE = "GeoNames cities15000 (2022-02-22)"

# Communes with municipal arrondissements: commune code -> arrondissement codes.
ARRONDISSEMENTS = {
    "75056": [f"751{i:02d}" for i in range(1, 21)],  # Paris, 20
    "69123": [f"6938{i}" for i in range(1, 10)],  # Lyon, 9
    "13055": [f"132{i:02d}" for i in range(1, 17)],  # Marseille, 16
}

# The French members: INSEE code -> (kind, expected population or None).
FRENCH = {
    "244900015": ("epci", 308_806),
    "243300316": ("epci", 843_738),
    "242100410": ("epci", 258_630),
    "245900428": ("epci", 192_635),
    "200040715": ("epci", 449_509),
    "69123": ("commune", None),
    "13055": ("commune", None),
    "244400404": ("epci", 683_981),
    "75056": ("commune", None),
}

# One line per member: country | name in mission_cities.csv | code | reference (local) name |
# French name | English name | aliases (";"). Codes of the previous list are kept (records
# store them); new ones are <ISO2>-<ASCII slug of the local name>. Aliases: the names cities
# and platforms write (exonyms, ASCII spellings, other official languages, the entity's full
# name); no alias of one city may equal a name or alias of another (tests/test_cities.py).
NAMES = """
AT|Klagenfurt am Wörthersee|AT-klagenfurt|Klagenfurt am Wörthersee|Klagenfurt|Klagenfurt|Klagenfurt am Woerthersee
BE|Antwerpen|BE-antwerpen|Antwerpen|Anvers|Antwerp|Amberes
BE|Région de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest|BE-bruxelles-capitale|Région de Bruxelles-Capitale|Région de Bruxelles-Capitale|Brussels-Capital Region|Brussels Hoofdstedelijk Gewest;Bruxelles-Capitale;Brussels Capital Region;Région bruxelloise;Brussels Region;Bruxelles;Brussel;Brussels
BE|La Louvière|BE-la-louviere|La Louvière|La Louvière|La Louvière|
BE|Leuven|BE-leuven|Leuven|Louvain|Leuven|
BG|Gabrovo|BG-gabrovo|Gabrovo|Gabrovo|Gabrovo|Габрово
BG|Sofia|BG-sofia|Sofia|Sofia|Sofia|Sofiya;София
HR|Zagreb|HR-zagreb|Zagreb|Zagreb|Zagreb|
CY|Lemesós|CY-lemesos|Lemesós|Limassol|Limassol|Λεμεσός
CZ|Liberec|CZ-liberec|Liberec|Liberec|Liberec|Reichenberg
DK|Aarhus|DK-aarhus|Aarhus|Aarhus|Aarhus|Århus
DK|København|DK-kobenhavn|København|Copenhague|Copenhagen|Kobenhavn
DK|Sønderborg|DK-sonderborg|Sønderborg|Sønderborg|Sønderborg|Sonderburg
EE|Tartu|EE-tartu|Tartu|Tartu|Tartu|Dorpat
FI|Espoo|FI-espoo|Espoo|Espoo|Espoo|Esbo
FI|Helsinki|FI-helsinki|Helsinki|Helsinki|Helsinki|Helsingfors
FI|Lahti|FI-lahti|Lahti|Lahti|Lahti|Lahtis
FI|Lappeenranta|FI-lappeenranta|Lappeenranta|Lappeenranta|Lappeenranta|Villmanstrand
FI|Tampere|FI-tampere|Tampere|Tampere|Tampere|Tammerfors
FI|Turku|FI-turku|Turku|Turku|Turku|Åbo
FR|Angers Loire Métropole|244900015|Angers Loire Métropole|Angers Loire Métropole|Angers Loire Métropole|Angers;ALM;CU Angers Loire Métropole;Communauté urbaine Angers Loire Métropole
FR|Bordeaux Métropole|243300316|Bordeaux Métropole|Bordeaux Métropole|Bordeaux Métropole|Bordeaux
FR|Dijon Métropole|242100410|Dijon Métropole|Dijon Métropole|Dijon Métropole|Dijon
FR|Dunkerque|245900428|Dunkerque|Dunkerque|Dunkirk|CU de Dunkerque;Communauté urbaine de Dunkerque
FR|Grenoble-Alpes Métropole|200040715|Grenoble-Alpes Métropole|Grenoble-Alpes Métropole|Grenoble-Alpes Métropole|Grenoble;Grenoble-Alpes-Métropole
FR|Lyon|69123|Lyon|Lyon|Lyon|Lyons;Ville de Lyon
FR|Marseille|13055|Marseille|Marseille|Marseille|Marseilles;Ville de Marseille
FR|Nantes Métropole|244400404|Nantes Métropole|Nantes Métropole|Nantes Métropole|Nantes
FR|Paris|75056|Paris|Paris|Paris|Ville de Paris
DE|Aachen|DE-aachen|Aachen|Aix-la-Chapelle|Aachen|
DE|Dortmund|DE-dortmund|Dortmund|Dortmund|Dortmund|
DE|Dresden|DE-dresden|Dresden|Dresde|Dresden|
DE|Frankfurt am Main|DE-frankfurt-am-main|Frankfurt am Main|Francfort-sur-le-Main|Frankfurt am Main|Frankfurt;Francfort;Frankfurt/Main
DE|Heidelberg|DE-heidelberg|Heidelberg|Heidelberg|Heidelberg|
DE|Leipzig|DE-leipzig|Leipzig|Leipzig|Leipzig|
DE|Mannheim|DE-mannheim|Mannheim|Mannheim|Mannheim|
DE|München|DE-munchen|München|Munich|Munich|Muenchen
DE|Münster|DE-munster|Münster|Münster|Münster|Muenster
GR|Athína|GR-athina|Athína|Athènes|Athens|Αθήνα
GR|Ioánnina|GR-ioannina|Ioánnina|Ioannina|Ioannina|Jannina;Ιωάννινα
GR|Kalamáta|GR-kalamata|Kalamáta|Kalamata|Kalamata|Καλαμάτα
GR|Kozáni|GR-kozani|Kozáni|Kozani|Kozani|Κοζάνη
GR|Thessaloníki|GR-thessaloniki|Thessaloníki|Thessalonique|Thessaloniki|Salonique;Thessalonica;Salonica;Θεσσαλονίκη
GR|Tríkala|GR-trikala|Tríkala|Trikala|Trikala|Τρίκαλα
HU|Budapest|HU-budapest|Budapest|Budapest|Budapest|
HU|Miskolc|HU-miskolc|Miskolc|Miskolc|Miskolc|
HU|Pécs|HU-pecs|Pécs|Pécs|Pécs|Fünfkirchen
IE|Corcaigh / Cork|IE-cork|Cork|Cork|Cork|Corcaigh
IE|Baile Átha Cliath / Dublin|IE-dublin|Dublin|Dublin|Dublin|Baile Átha Cliath
IT|Bergamo|IT-bergamo|Bergamo|Bergame|Bergamo|
IT|Bologna|IT-bologna|Bologna|Bologne|Bologna|
IT|Firenze|IT-firenze|Firenze|Florence|Florence|Florenz
IT|Milano|IT-milano|Milano|Milan|Milan|Mailand
IT|Padova|IT-padova|Padova|Padoue|Padua|
IT|Parma|IT-parma|Parma|Parme|Parma|
IT|Prato|IT-prato|Prato|Prato|Prato|
IT|Roma|IT-roma|Roma|Rome|Rome|
IT|Torino|IT-torino|Torino|Turin|Turin|
LV|Liepāja|LV-liepaja|Liepāja|Liepāja|Liepāja|Libau
LV|Rīga|LV-riga|Rīga|Riga|Riga|
LT|Tauragė|LT-taurage|Tauragė|Tauragė|Tauragė|Tauroggen
LT|Vilnius|LT-vilnius|Vilnius|Vilnius|Vilnius|Wilno;Vilna
LU|Differdange / Déifferdeng|LU-differdange|Differdange|Differdange|Differdange|Déifferdeng;Differdingen
MT|Għawdex|MT-ghawdex|Għawdex|Gozo|Gozo|Île de Gozo;Island of Gozo;Reġjun Għawdex;Gozo Region
NL|Amsterdam|NL-amsterdam|Amsterdam|Amsterdam|Amsterdam|
NL|Eindhoven & Helmond|NL-eindhoven-helmond|Eindhoven & Helmond|Eindhoven et Helmond|Eindhoven & Helmond|Eindhoven;Helmond;Eindhoven en Helmond;Eindhoven and Helmond;Eindhoven-Helmond
NL|Groningen|NL-groningen|Groningen|Groningue|Groningen|
NL|Rotterdam|NL-rotterdam|Rotterdam|Rotterdam|Rotterdam|
NL|Den Haag|NL-den-haag|Den Haag|La Haye|The Hague|'s-Gravenhage
NL|Utrecht|NL-utrecht|Utrecht|Utrecht|Utrecht|
PL|Kraków|PL-krakow|Kraków|Cracovie|Kraków|Cracow;Krakau
PL|Łódź|PL-lodz|Łódź|Łódź|Łódź|
PL|Rzeszów|PL-rzeszow|Rzeszów|Rzeszów|Rzeszów|
PL|Warszawa|PL-warszawa|Warszawa|Varsovie|Warsaw|Warschau
PL|Wrocław|PL-wroclaw|Wrocław|Wrocław|Wrocław|Breslau
PT|Guimarães|PT-guimaraes|Guimarães|Guimarães|Guimarães|
PT|Lisboa|PT-lisboa|Lisboa|Lisbonne|Lisbon|Lissabon
PT|Porto|PT-porto|Porto|Porto|Porto|Oporto
RO|București – Sectorul 2|RO-bucuresti|București – Sectorul 2|Bucarest (secteur 2)|Bucharest (Sector 2)|București;Bucharest;Bucarest;Sectorul 2;Sector 2;Bucharest Sector 2;Bucharest, 2nd District;Sector 2 București;Secteur 2 de Bucarest
RO|Cluj-Napoca|RO-cluj-napoca|Cluj-Napoca|Cluj-Napoca|Cluj-Napoca|Cluj;Klausenburg;Kolozsvár
RO|Suceava|RO-suceava|Suceava|Suceava|Suceava|
SK|Bratislava|SK-bratislava|Bratislava|Bratislava|Bratislava|Pressburg;Pozsony
SK|Košice|SK-kosice|Košice|Košice|Košice|Kassa;Kaschau
SI|Kranj|SI-kranj|Kranj|Kranj|Kranj|
SI|Ljubljana|SI-ljubljana|Ljubljana|Ljubljana|Ljubljana|Laibach
SI|Velenje|SI-velenje|Velenje|Velenje|Velenje|
ES|Barcelona|ES-barcelona|Barcelona|Barcelone|Barcelona|
ES|Madrid|ES-madrid|Madrid|Madrid|Madrid|
ES|Sevilla|ES-sevilla|Sevilla|Séville|Seville|
ES|València|ES-valencia|València|Valence (Espagne)|Valencia|
ES|Valladolid|ES-valladolid|Valladolid|Valladolid|Valladolid|
ES|Vitoria-Gasteiz|ES-vitoria-gasteiz|Vitoria-Gasteiz|Vitoria-Gasteiz|Vitoria-Gasteiz|Vitoria;Gasteiz
ES|Zaragoza|ES-zaragoza|Zaragoza|Saragosse|Zaragoza|Saragossa
SE|Gävle|SE-gavle|Gävle|Gävle|Gävle|
SE|Göteborg|SE-goteborg|Göteborg|Göteborg|Gothenburg|Gothembourg
SE|Helsingborg|SE-helsingborg|Helsingborg|Helsingborg|Helsingborg|Hälsingborg
SE|Lund|SE-lund|Lund|Lund|Lund|
SE|Malmö|SE-malmo|Malmö|Malmö|Malmö|
SE|Stockholm|SE-stockholm|Stockholm|Stockholm|Stockholm|
SE|Umeå|SE-umea|Umeå|Umeå|Umeå|
AL|Elbasan|AL-elbasan|Elbasan|Elbasan|Elbasan|
BA|Sarajevo|BA-sarajevo|Sarajevo|Sarajevo|Sarajevo|Сарајево;Grad Sarajevo;Kanton Sarajevo;Sarajevo Canton;Canton de Sarajevo
IS|Reykjavík|IS-reykjavik|Reykjavík|Reykjavik|Reykjavík|
IL|Eilat|IL-eilat|Eilat|Eilat|Eilat|Elat;אילת
ME|Podgorica|ME-podgorica|Podgorica|Podgorica|Podgorica|Подгорица
NO|Oslo|NO-oslo|Oslo|Oslo|Oslo|
NO|Stavanger|NO-stavanger|Stavanger|Stavanger|Stavanger|
NO|Trondheim|NO-trondheim|Trondheim|Trondheim|Trondheim|
TR|İstanbul|TR-istanbul|İstanbul|Istanbul|Istanbul|
TR|İzmir|TR-izmir|İzmir|Izmir|Izmir|Smyrne;Smyrna
GB|Bristol|GB-bristol|Bristol|Bristol|Bristol|
GB|Glasgow|GB-glasgow|Glasgow|Glasgow|Glasgow|Glaschu
"""

# Rows of city_population_facts.csv that do not count the member body (country, name there).
FACTS_NOT_THE_MEMBER = {("RO", "București")}  # the whole municipality; the member is Sector 2

# Figures found for a member body that neither the facts file nor GeoNames counts:
# code -> (population, year, source).
OVERRIDES = {
    "BE-bruxelles-capitale": (
        1_219_970,
        2021,
        "IBSA (Institut bruxellois de statistique et d'analyse), 1er janvier 2021, "
        "cité par The Brussels Times (brusselstimes.com/187250)",
    ),
    "LU-differdange": (29_703, 2023, "Ville de Differdange, avril 2023 (differdange.lu, « La ville en chiffres »)"),
}

# Members for which no figure counts the member body: per-10,000 figures are not computed.
NO_FIGURE = {"BA-sarajevo", "MT-ghawdex"}

# Coordinates not in GeoNames cities15000: code -> (latitude, longitude, source).
COORDINATES = {
    "LU-differdange": ("49.52417", "5.89139", "differdange.lu (« La ville en chiffres »)"),
    "MT-ghawdex": ("36.04361", "14.24306", "Victoria (Rabat), chef-lieu de Gozo : Wikipédia « Victoria (Gozo) »"),
}

GEONAMES_PERIMETER = ("Ville (chiffre GeoNames, périmètre non précisé)", "City (GeoNames figure, perimeter not stated)")
FACTS_PERIMETER = ("Ville", "City")

# What is counted, when it is not the plain city: code -> (French, English).
PERIMETERS = {
    "BE-bruxelles-capitale": (
        "Région de Bruxelles-Capitale (19 communes)",
        "Brussels-Capital Region (19 municipalities)",
    ),
    "RO-bucuresti": (
        "Secteur 2 de Bucarest (chiffre GeoNames « Sector 2 »)",
        "Sector 2 of Bucharest (GeoNames 'Sector 2')",
    ),
    "NL-eindhoven-helmond": (
        "Deux communes : Eindhoven (209 620) et Helmond (74 740), chiffres GeoNames",
        "Two municipalities: Eindhoven (209,620) and Helmond (74,740), GeoNames figures",
    ),
    "BA-sarajevo": (
        "Aire urbaine de Sarajevo : ville, canton de Sarajevo et Sarajevo-Est",
        "Sarajevo urban area: the city, Sarajevo Canton and East Sarajevo",
    ),
    "MT-ghawdex": (
        "Île de Gozo (région de Gozo, 14 conseils locaux)",
        "Island of Gozo (Gozo Region, 14 local councils)",
    ),
    "LU-differdange": (
        "Commune de Differdange (Differdange, Lasauvage, Niederkorn, Oberkorn)",
        "Municipality of Differdange (Differdange, Lasauvage, Niederkorn, Oberkorn)",
    ),
}

# What a reader must know about a member: code -> (French, English).
REMARKS = {
    "BE-bruxelles-capitale": (
        "Le membre est la Région de Bruxelles-Capitale, pas la Ville de Bruxelles.",
        "The member is the Brussels-Capital Region, not the City of Brussels.",
    ),
    "RO-bucuresti": (
        "Le membre est le secteur 2 de Bucarest ; la presse écrit souvent « Bucarest ».",
        "The member is Sector 2 of Bucharest; the press often writes just 'Bucharest'.",
    ),
    "NL-eindhoven-helmond": (
        "Membre en duo ; Eindhoven et Helmond ont annoncé leur retrait en février 2024 (non pris en compte ici).",
        "A joint member; Eindhoven and Helmond announced their withdrawal in February 2024 (not applied here).",
    ),
    "DE-frankfurt-am-main": (
        "Retenue le 28 avril 2022 selon quatre pages allemandes, mais absente de la liste NZC.json "
        "des villes actuelles : a peut-être quitté la mission depuis (non vérifié).",
        "Selected on 28 April 2022 according to four German pages, but absent from the NZC.json list "
        "of current cities: it may have left the mission since (not verified).",
    ),
    "BA-sarajevo": (
        "Aucun chiffre de population trouvé pour l'aire urbaine (ville, canton et Sarajevo-Est) ; "
        "GeoNames donne 696 731 pour « Sarajevo » sans périmètre ni année.",
        "No population figure found for the urban area (city, canton and East Sarajevo); "
        "GeoNames gives 696,731 for 'Sarajevo' with no perimeter or year.",
    ),
    "MT-ghawdex": (
        "Aucun chiffre de population avec année et source trouvé pour l'île de Gozo "
        "(absente de GeoNames cities15000 et des statistiques copiées dans le projet).",
        "No population figure with a year and a source found for the island of Gozo "
        "(absent from GeoNames cities15000 and from the statistics copied into the project).",
    ),
    "LU-differdange": (
        "Population comptée par la commune elle-même (absente de GeoNames cities15000).",
        "Population counted by the municipality itself (absent from GeoNames cities15000).",
    ),
}


def parse_names() -> list[dict[str, str]]:
    rows = []
    for line in NAMES.strip().splitlines():
        country, mission_name, code, nom, nom_fr, nom_en, aliases = line.split("|")
        rows.append(
            {
                "country": country,
                "mission_name": mission_name,
                "code": code,
                "nom": nom,
                "nom_fr": nom_fr,
                "nom_en": nom_en,
                "aliases": [a for a in aliases.split(";") if a],
            }
        )
    return rows


# --- INSEE -------------------------------------------------------------------------


def read_insee_csv(path: Path) -> list[dict[str, str]]:
    """Read an INSEE CSV export: skip the leading '#' lines, ';' separator."""
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def to_int(text: str) -> int:
    """'15 554' (NO-BREAK SPACE thousands separator) -> 15554."""
    return int(text.replace("\u00a0", "").replace("\u202f", "").replace(" ", ""))


def commune_code(dep: str, com: str) -> str:
    """Rebuild the 5-character INSEE commune code from its two columns:
    '01' + '001' -> '01001'; '2A' + '004' -> '2A004'; '971' + '101' -> '97101'."""
    return dep + com if len(dep) == 2 else dep[:2] + com


def commune_population(code: str, pop: dict[str, int]) -> int:
    if code in ARRONDISSEMENTS:
        if code in pop:
            raise ValueError(f"{code} present both as commune and as arrondissements")
        return sum(pop[a] for a in ARRONDISSEMENTS[code])  # KeyError if one is missing
    return pop[code]


def french_populations(folder: Path, names: dict[str, str]) -> dict[str, dict[str, object]]:
    """INSEE code -> population, year, source, perimeter (French and English)."""
    epci_names = {r["EPCI"]: r["LIBEPCI"] for r in read_insee_csv(folder / EPCI_FILE)}
    members: dict[str, list[str]] = {}
    commune_names: dict[str, str] = {}
    for r in read_insee_csv(folder / COMPOSITION_FILE):
        members.setdefault(r["EPCI"], []).append(r["CODGEO"])
        commune_names[r["CODGEO"]] = r["LIBGEO"]
    pop: dict[str, int] = {}
    for r in read_insee_csv(folder / POPULATION_FILE):
        code = commune_code(r["Code département"], r["Code commune"])
        if code in pop:
            raise ValueError(f"duplicate commune code {code}")
        pop[code] = to_int(r["Population municipale"])
    out = {}
    for code, (kind, expected) in FRENCH.items():
        if kind == "epci":
            communes = members[code]
            missing = [c for c in communes if c not in pop and c not in ARRONDISSEMENTS]
            if missing:
                raise ValueError(f"EPCI {code}: no population for {missing}")
            population = sum(commune_population(c, pop) for c in communes)
            label = epci_names[code].replace("Communauté urbaine ", "CU ", 1)
            perimeter = f"EPCI {code} {label} ({len(communes)} communes)"
            perimeter_en = f"EPCI (inter-municipal body) {code} {label} ({len(communes)} municipalities)"
        else:
            population = commune_population(code, pop)
            n = len(ARRONDISSEMENTS[code])
            perimeter = f"Commune (somme des {n} arrondissements)"
            perimeter_en = f"Municipality (sum of its {n} arrondissements)"
            if commune_names.get(code) != names[code]:
                raise ValueError(f"{code}: COG name {commune_names.get(code)!r}")
        if expected is not None and population != expected:
            raise ValueError(f"{code}: INSEE population {population} != expected {expected}")
        out[code] = {
            "population": population,
            "year": INSEE_YEAR,
            "source": INSEE_SOURCE,
            "perimeter": (perimeter, perimeter_en),
        }
    return out


def insee_rows_used(folder: Path) -> dict[Path, set[str]]:
    """For each INSEE file, the keys of the rows build() reads: kept in data/sources/insee/."""
    epcis = {code for code, (kind, _) in FRENCH.items() if kind == "epci"}
    communes = {c for c, (kind, _) in FRENCH.items() if kind == "commune"}
    for r in read_insee_csv(folder / COMPOSITION_FILE):
        if r["EPCI"] in epcis:
            communes.add(r["CODGEO"])
    with_arrondissements = communes | {a for c in communes & ARRONDISSEMENTS.keys() for a in ARRONDISSEMENTS[c]}
    return {EPCI_FILE: epcis, COMPOSITION_FILE: communes, POPULATION_FILE: with_arrondissements}


def _insee_key(path: Path, fields: list[str]) -> str:
    if path == EPCI_FILE:
        return fields[0]
    if path == COMPOSITION_FILE:
        return fields[0]
    return commune_code(fields[2], fields[5])


def copy_insee_extract(folder: Path, target: Path) -> None:
    """Copy the INSEE files keeping their comment lines, header and line endings, and only
    the data rows this build reads (a subset of the original rows, byte for byte)."""
    for path, keys in insee_rows_used(folder).items():
        with (folder / path).open(encoding="utf-8", newline="") as f:
            lines = f.readlines()
        kept, seen_header = [], False
        for line in lines:
            if line.startswith("#") or not seen_header:
                kept.append(line)
                seen_header = seen_header or not line.startswith("#")
                continue
            if _insee_key(path, line.rstrip("\r\n").split(";")) in keys:
                kept.append(line)
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        with (target / path).open("w", encoding="utf-8", newline="") as f:
            f.writelines(kept)


# --- the list ------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build(folder: Path) -> list[dict[str, str]]:
    """The rows of data/cities.csv, computed from the inputs in `folder`."""
    names = parse_names()
    mission = {(r["country_iso2"], r["name_local"]): r for r in read_csv(folder / MISSION_FILE)}
    listed = {(n["country"], n["mission_name"]) for n in names}
    if listed != set(mission):
        raise ValueError(f"names table and mission list differ: {sorted(listed ^ set(mission))}")
    facts = {}
    for r in read_csv(folder / FACTS_FILE):
        if (r["country"], r["city"]) not in FACTS_NOT_THE_MEMBER:
            facts[(r["country"], fold(r["city"]))] = r
    french = french_populations(folder, {n["code"]: n["nom"] for n in names})
    rows = []
    for n in names:
        member = mission[(n["country"], n["mission_name"])]
        code = n["code"]
        keys = {fold(k) for k in [n["nom"], n["nom_fr"], n["nom_en"], *n["aliases"]]}
        fact = next((facts[(n["country"], k)] for k in sorted(keys) if (n["country"], k) in facts), None)
        perimeter = PERIMETERS.get(code)
        if code in french:
            figure = french[code]
            population, year, source = figure["population"], figure["year"], figure["source"]
            perimeter = figure["perimeter"]
        elif code in NO_FIGURE:
            population, year, source = "", "", ""
        elif code in OVERRIDES:
            population, year, source = OVERRIDES[code]
        elif fact is not None:
            population, year, source = int(fact["population"]), int(fact["year"]), fact["source"]
            perimeter = perimeter or FACTS_PERIMETER
        else:
            population, year, source = int(member["population"]), "", GEONAMES_SOURCE
            perimeter = perimeter or GEONAMES_PERIMETER
        if member["latitude"]:
            lat, lon, where = member["latitude"], member["longitude"], f"GeoNames {member['geonames_id']}"
        else:
            lat, lon, where = COORDINATES[code]
        remark = REMARKS.get(code, ("", ""))
        rows.append(
            {
                "code": code,
                "nom": n["nom"],
                "nom_fr": n["nom_fr"],
                "nom_en": n["nom_en"],
                "pays": n["country"],
                "groupe": member["group"],
                "mission": "true",
                "population": str(population),
                "annee_population": str(year),
                "source_population": source,
                "perimetre": perimeter[0],
                "perimeter_en": perimeter[1],
                "latitude": lat,
                "longitude": lon,
                "source_coordonnees": where,
                "alias": "|".join(n["aliases"]),
                "source_adhesion": member["source_of_membership"],
                "remarque": remark[0],
                "note_en": remark[1],
            }
        )
    french_first = {code: i for i, code in enumerate(FRENCH)}
    return sorted(rows, key=lambda r: (r["code"] not in french_first, french_first.get(r["code"], 0), r["code"]))


def render(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def refresh_sources(folder: Path) -> None:
    """Copy into data/sources/ what the build reads (the INSEE files as extracts)."""
    for path in (MISSION_FILE, MISSION_NOTE, FACTS_FILE, INSEE_NOTE):
        (SOURCES / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / path, SOURCES / path)
    copy_insee_extract(folder, SOURCES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=SOURCES, help="inputs (default: data/sources)")
    parser.add_argument("--write", action="store_true", help="write data/cities.csv (and refresh data/sources)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the CSV to write or check")
    args = parser.parse_args(argv)

    text = render(build(args.folder))
    if args.write:
        if args.folder.resolve() != SOURCES.resolve():
            refresh_sources(args.folder)
        args.output.write_text(text, encoding="utf-8")
        print(f"# wrote {args.output}: {text.count(chr(10)) - 1} cities", file=sys.stderr)
        return 0
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    if current == text:
        print(f"# OK: {args.output} is what the inputs give", file=sys.stderr)
        return 0
    old, new = current.splitlines(), text.splitlines()
    for line in sorted(set(old) ^ set(new))[:20]:
        print(("- " if line in old else "+ ") + line, file=sys.stderr)
    print(f"# {args.output} differs from what {args.folder} gives: run with --write", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
