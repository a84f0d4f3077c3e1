"""Deterministic synthetic demo data for every mission city, written as the files cities
really send (French-Excel CSV, UTF-8 CSV with English headers, XLSX) and loaded through
the same path as real files, marked as demo.

Plausible on purpose: bigger cities run more activities, engagement deepens over
time, activity dips in summer and around Christmas.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from etl.db import DatabaseError, writing
from etl.schema import Schema, load_schema

MIN_ROWS_PER_CITY = 6  # every city of the list gets a few activities, the rest follows its size
START = date(2022, 1, 1)
MONTH_WEIGHT = np.array([0.9, 1.0, 1.1, 1.0, 1.0, 1.0, 0.45, 0.25, 1.0, 1.1, 1.1, 0.7])

METHODS = {  # method: (probability, level weights info..co_decision, sessions range, participants scale)
    "reunion_publique": (0.17, [0.55, 0.35, 0.10, 0.0, 0.0], (1, 2), 90),
    "atelier": (0.24, [0.05, 0.20, 0.45, 0.30, 0.0], (1, 5), 25),
    "consultation_en_ligne": (0.14, [0.05, 0.85, 0.10, 0.0, 0.0], (1, 1), 400),
    "enquete": (0.08, [0.05, 0.90, 0.05, 0.0, 0.0], (1, 1), 600),
    "marche_exploratoire": (0.07, [0.0, 0.30, 0.60, 0.10, 0.0], (1, 3), 18),
    "conseil_de_quartier": (0.08, [0.15, 0.35, 0.45, 0.05, 0.0], (2, 8), 30),
    "living_lab": (0.06, [0.0, 0.05, 0.30, 0.60, 0.05], (3, 10), 20),
    "convention_citoyenne": (0.04, [0.0, 0.0, 0.15, 0.55, 0.30], (4, 8), 60),
    "jury_citoyen": (0.03, [0.0, 0.0, 0.20, 0.40, 0.40], (2, 5), 20),
    "budget_participatif": (0.06, [0.0, 0.05, 0.10, 0.25, 0.60], (1, 4), 1500),
    "autre": (0.03, [0.30, 0.30, 0.25, 0.15, 0.0], (1, 3), 40),
}
LEVELS = ["information", "consultation", "concertation", "co_construction", "co_decision"]
ADOPTION = np.array([0.05, 0.15, 0.25, 0.40, 0.60])  # share of proposals adopted by level
THEMES = [
    "energie",
    "mobilite",
    "batiment",
    "nature_en_ville",
    "dechets_economie_circulaire",
    "alimentation",
    "adaptation",
    "urbanisme",
    "eau",
    "transversal",
]
PLACES_FR = [
    "centre-ville",
    "quartier Nord",
    "quartier de la Gare",
    "rive droite",
    "Saint-Jacques",
    "les Hauts-de-Chênes",
    "cœur de ville",
    "écoquartier",
    "faubourg Sud",
    "l’île",
]
PLACES_EN = [
    "city centre",
    "north district",
    "station area",
    "harbour",
    "old town",
    "east side",
    "riverside",
    "new district",
    "university quarter",
    "south",
]


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _dates(rng, n: int, today: date) -> np.ndarray:
    """n start dates between START and today, with fewer activities in summer."""
    days = (today - START).days
    out = np.empty(0, dtype="int64")
    while out.size < n:
        draw = rng.integers(0, days + 1, size=2 * n + 100)
        months = (pd.Timestamp(START) + pd.to_timedelta(draw, unit="D")).month.to_numpy() - 1
        keep = rng.random(draw.size) < MONTH_WEIGHT[months] / MONTH_WEIGHT.max()
        out = np.concatenate([out, draw[keep]])
    return np.sort(out[:n])


def generate(cities: pd.DataFrame, rows: int = 3000, seed: int = 20221, today: date | None = None) -> pd.DataFrame:
    """Synthetic records (one DataFrame, canonical columns) for the given cities."""
    today = today or date.today()
    rng = _rng(seed)
    # A city without a known population is drawn as a city of the median size.
    population = cities["population"].astype("Float64")
    population = population.fillna(population.median() if population.notna().any() else 100_000).to_numpy(float)
    weights = population**0.6
    floor = np.repeat(np.arange(len(cities)), MIN_ROWS_PER_CITY)[:rows]
    drawn = rng.choice(len(cities), size=rows - len(floor), p=weights / weights.sum())
    city_idx = np.sort(np.concatenate([floor, drawn]))
    # Per city, activities are spread over time; dates are drawn per city block.
    offsets = np.empty(rows, dtype="int64")
    for i in np.unique(city_idx):
        block = city_idx == i
        offsets[block] = _dates(rng, int(block.sum()), today)
    start = pd.Timestamp(START) + pd.to_timedelta(offsets, unit="D")
    progress = offsets / max(1, (today - START).days)  # 0 → 1 over the period

    names = list(METHODS)
    method_idx = rng.choice(
        len(names), size=rows, p=np.array([METHODS[m][0] for m in names]) / sum(METHODS[m][0] for m in names)
    )
    level_probs = np.array([METHODS[m][1] for m in names])[method_idx]
    level = (
        np.array([rng.choice(5, p=p / p.sum()) for p in level_probs])
        if rows <= 50_000
        else ((level_probs.cumsum(axis=1) < rng.random((rows, 1))).sum(axis=1))
    )
    maturity = rng.uniform(0.1, 0.35, size=len(cities))[city_idx]
    deepen = rng.random(rows) < maturity * progress  # engagement deepens over time
    level = np.minimum(level + deepen, 4)

    lo = np.array([METHODS[m][2][0] for m in names])[method_idx]
    hi = np.array([METHODS[m][2][1] for m in names])[method_idx]
    sessions = rng.integers(lo, hi + 1)
    scale = np.array([METHODS[m][3] for m in names])[method_idx] * (population[city_idx] / 500_000) ** 0.3
    participants = np.maximum(3, np.round(rng.lognormal(np.log(scale * np.maximum(1, sessions) ** 0.7), 0.5))).astype(
        "int64"
    )
    proposals = np.where(level >= 1, np.round(participants * rng.uniform(0.05, 0.5, rows)), 0).astype("int64")
    adopted = np.minimum(proposals, rng.binomial(proposals, ADOPTION[level]))
    received = np.where(rng.random(rows) < 0.85, proposals, -1)

    def share(lo_, hi_, reported):
        values = np.round(participants * rng.uniform(lo_, hi_, rows)).astype("int64")
        return np.where(rng.random(rows) < reported, values, -1)

    women = share(0.42, 0.58, 0.75)
    under25 = share(0.05, 0.25, 0.6)
    newcomers = share(0.15, 0.6, 0.55)
    mix_reported = rng.random(rows) < 0.7
    mix = rng.dirichlet([8, 1, 0.6, 2, 1], size=rows) * (participants * rng.uniform(0.85, 1.0, rows))[:, None]
    mix = np.floor(mix).astype("int64")
    stakeholders = {
        name: np.where(mix_reported, mix[:, k], -1)
        for k, name in enumerate(
            ["nb_citoyens", "nb_entreprises", "nb_recherche", "nb_associations", "nb_institutions"]
        )
    }
    response = np.where(level >= 1, rng.random(rows) < 0.25 + 0.15 * level, False)
    response_reported = rng.random(rows) < 0.8
    cost = np.where(rng.random(rows) < 0.6, np.round(rng.lognormal(np.log(800 * sessions), 0.8), 2), np.nan)
    theme = rng.choice(THEMES, size=rows)
    fmt = rng.choice(["presentiel", "en_ligne", "hybride"], size=rows, p=[0.6, 0.25, 0.15])
    fmt = np.where(np.isin(np.array(names)[method_idx], ["consultation_en_ligne", "enquete"]), "en_ligne", fmt)
    recruit = np.where(
        np.isin(np.array(names)[method_idx], ["convention_citoyenne", "jury_citoyen"]),
        rng.choice(["tirage_au_sort", "mixte"], size=rows, p=[0.8, 0.2]),
        rng.choice(["ouvert", "sur_invitation", "mixte"], size=rows, p=[0.8, 0.12, 0.08]),
    )

    frame = pd.DataFrame(
        {
            "code": cities["code"].to_numpy()[city_idx],
            "ville": cities["nom"].to_numpy()[city_idx],
            "pays": cities["pays"].to_numpy()[city_idx],
            "date_debut": start.to_numpy(),
            "methode": np.array(names)[method_idx],
            "niveau_engagement": np.array(LEVELS)[level],
            "thematique": theme,
            "format": fmt,
            "recrutement": recruit,
            "nb_seances": sessions,
            "nb_participants": participants,
            "nb_propositions_recues": received,
            "nb_propositions_retenues": adopted,
            "nb_nouveaux_participants": newcomers,
            "nb_femmes": women,
            "nb_moins_25_ans": under25,
            **stakeholders,
            "retour_public": np.where(response_reported, np.where(response, "oui", "non"), ""),
            "cout_eur": cost,
        }
    )
    series = frame["nb_seances"] > 1
    frame["date_fin"] = np.where(
        series, frame["date_debut"] + pd.to_timedelta(rng.integers(7, 120, rows), unit="D"), pd.NaT
    )
    frame["seq"] = frame.groupby("code").cumcount() + 1
    frame["titre"] = _titles(frame, rng)
    year = pd.to_datetime(frame["date_debut"]).dt.year.astype(str)
    frame["id_activite"] = (
        frame["code"].str.upper().str.replace(r"[^A-Z0-9]", "", regex=True).str[:6]
        + "-"
        + year
        + "-"
        + frame["seq"].map("{:05d}".format)
    )
    frame["url_source"] = np.where(
        rng.random(rows) < 0.3, "https://participation.example.org/" + frame["id_activite"].str.lower(), ""
    )
    for col in ["nb_propositions_recues", "nb_nouveaux_participants", "nb_femmes", "nb_moins_25_ans", *stakeholders]:
        frame[col] = frame[col].astype("Int64").mask(frame[col] < 0)
    _follow_up(frame, city_idx, len(cities), seed, today)
    return frame


def _follow_up(frame: pd.DataFrame, city_idx: np.ndarray, n_cities: int, seed: int, today: date) -> None:
    """The follow-up of proposals (answered, answer date, implemented, link), drawn from a
    generator of its own so that the other columns stay as they were. Cities differ: about
    a third never report it; the others report it for most activities they answered, after
    a delay typical of the city (a few weeks to several months); an answer not published
    yet by `today` is left empty, and so is the implementation of recent activities."""
    rng = _rng(seed + 17)
    practice = np.where(rng.random(n_cities) < 0.35, 0.0, rng.uniform(0.45, 0.95, n_cities))[city_idx]
    typical_delay = rng.uniform(25, 150, n_cities)[city_idx]
    rows = len(frame)
    received = frame["nb_propositions_recues"].fillna(0).to_numpy("int64")
    adopted = frame["nb_propositions_retenues"].to_numpy("int64")
    answered = np.maximum(adopted, np.round(received * rng.uniform(0.45, 1.0, rows))).astype("int64")
    base = pd.to_datetime(frame["date_fin"]).fillna(pd.to_datetime(frame["date_debut"]))
    delay = np.round(rng.lognormal(np.log(typical_delay), 0.6)).astype("int64")
    answer_date = base + pd.to_timedelta(delay, unit="D")
    reported = (frame["retour_public"].to_numpy() == "oui") & (received > 0) & (rng.random(rows) < practice)
    reported &= (answer_date <= pd.Timestamp(today)).to_numpy()
    old_enough = (answer_date + pd.Timedelta(days=120) <= pd.Timestamp(today)).to_numpy()
    implemented = rng.binomial(adopted, rng.uniform(0.25, 0.9, rows))
    frame["nb_propositions_repondues"] = pd.Series(answered, index=frame.index, dtype="Int64").where(reported)
    frame["date_reponse_publique"] = answer_date.where(pd.Series(reported, index=frame.index))
    shown = reported & old_enough & (rng.random(rows) < 0.85)
    frame["nb_propositions_mises_en_oeuvre"] = pd.Series(implemented, index=frame.index, dtype="Int64").where(shown)
    link = reported & (rng.random(rows) < 0.6)
    frame["url_reponse"] = np.where(
        link, "https://participation.example.org/" + frame["id_activite"].str.lower() + "/reponse", ""
    )


def _titles(frame: pd.DataFrame, rng) -> pd.Series:
    schema = load_schema()
    methods = {c.code: c for c in schema.field("methode").codes}
    themes = {c.code: c for c in schema.field("thematique").codes}
    french = frame["pays"] == "FR"
    place = np.where(french, rng.choice(PLACES_FR, len(frame)), rng.choice(PLACES_EN, len(frame)))
    method_fr = frame["methode"].map(lambda m: methods[m].fr)
    method_en = frame["methode"].map(lambda m: methods[m].en)
    theme_fr = frame["thematique"].map(lambda t: themes[t].fr.lower())
    theme_en = frame["thematique"].map(lambda t: themes[t].en.lower())
    fr = method_fr + " « " + theme_fr + " » – " + place + " n° " + frame["seq"].astype(str)
    en = method_en + ": " + theme_en + " – " + place + " #" + frame["seq"].astype(str)
    return pd.Series(np.where(french, fr, en), index=frame.index)


# --- files ------------------------------------------------------------------------


FRENCH_STYLES = ["csv-fr", "xlsx-fr", "csv-fr", "csv-utf8-fr"]
OTHER_STYLES = ["csv-en", "csv-en", "xlsx-en", "csv-en", "csv-en", "csv-utf8-fr"]


def _file_style(position: int, country: str, rows: int) -> str:
    """How each city sends its files: French cities mostly French Excel, the others mostly
    English CSV; a few XLSX (kept few above 60,000 rows: they are slow to write)."""
    if rows > 60_000:
        return "csv-fr" if country == "FR" else "csv-en"
    styles = FRENCH_STYLES if country == "FR" else OTHER_STYLES
    return styles[position % len(styles)]


def file_key(code: str, country: str) -> str:
    """The demo file a city's records go to: its own for a French city (as city teams send
    them), one per country for the others (as a national programme collects them)."""
    return code if country == "FR" else f"villes-{country}"


def write_city_files(frame: pd.DataFrame, out_dir: Path, schema: Schema | None = None) -> list[Path]:
    """One file per French city and one per other country, each in its usual format."""
    schema = schema or load_schema()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    keys = [file_key(code, country) for code, country in zip(frame["code"], frame["pays"], strict=True)]
    for position, (code, part) in enumerate(frame.groupby(pd.Series(keys, index=frame.index), sort=False)):
        style = _file_style(position, part["pays"].iloc[0], len(frame))
        lang = "en" if style.endswith("en") else "fr"
        table = part[schema.names].copy()
        if lang == "en":
            table["retour_public"] = table["retour_public"].map({"oui": "yes", "non": "no", "": ""})
        table.columns = [f.title(lang) for f in schema.fields]
        path = out_dir / f"{code}.{'xlsx' if style.startswith('xlsx') else 'csv'}"
        if style == "csv-fr":  # Excel "CSV (séparateur : point-virgule)": cp1252, dd/mm/yyyy, decimal comma
            for col in (f.title_fr for f in schema.fields if f.type == "date"):
                table[col] = pd.to_datetime(table[col]).dt.strftime("%d/%m/%Y")
            table.to_csv(path, sep=";", decimal=",", index=False, encoding="cp1252", lineterminator="\r\n")
        elif style == "csv-utf8-fr":  # Excel "CSV UTF-8": BOM
            table.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
        elif style == "csv-en":
            table.to_csv(path, sep=",", index=False, encoding="utf-8", date_format="%Y-%m-%d")
        else:
            with pd.ExcelWriter(
                path, engine="xlsxwriter", datetime_format="dd/mm/yyyy", date_format="dd/mm/yyyy"
            ) as writer:
                table.to_excel(writer, index=False, sheet_name="Activites")
        paths.append(path)
    return paths


def reset_demo_database(db_path: Path) -> None:
    """Remove a database that holds only demo data; refuse to touch real data."""
    if not db_path.exists():
        return
    with writing(db_path, upgrade=False) as con:
        has_loads = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'loads'").fetchone()[0]
        real = con.execute("SELECT count(*) FROM loads WHERE NOT is_demo").fetchone()[0] if has_loads else 0
    if real:
        raise DatabaseError(
            f"La base {db_path} contient des données réelles ({real} chargements) : la démonstration ne l'écrase pas. Choisissez une autre base avec --db.",
            f"The database {db_path} holds real data ({real} loads): the demo will not overwrite it. Choose another database with --db.",
        )
    db_path.unlink()
    db_path.with_name(db_path.name + ".wal").unlink(missing_ok=True)


def demo_files_dir(db_path: Path) -> Path:
    return db_path.parent / "demo"


def prepare_files(cities: pd.DataFrame, out_dir: Path, rows: int, seed: int, today: date | None = None) -> list[Path]:
    """Generate the demo records of every mission city of `cities` (code, nom, pays,
    population, mission) and write them as city files in `out_dir`."""
    members = cities[cities["mission"]].sort_values("code", ignore_index=True)
    frame = generate(members, rows=rows, seed=seed, today=today)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    return write_city_files(frame, out_dir)
