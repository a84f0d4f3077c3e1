"""What the Data page shows, as pure functions: the data dictionary generated from the
contract, the metric definitions, each city's freshness and quality, and the bytes of
the record downloads. No streamlit, no database: the page passes the frames in (and the
display formatters of ui/i18n.py, so that this read-side module does not import ui/).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from etl.schema import Field, Schema
from etl.templates import BOOLEANS, TYPE_LABELS
from queries.metrics import METRICS

# key -> (French, English)
TEXT = {
    "title": ("Colonne", "Column"),
    "name": ("Nom canonique", "Canonical name"),
    "english_name": ("Nom anglais", "English name"),
    "type": ("Type", "Type"),
    "required": ("Obligatoire", "Required"),
    "description": ("Description", "Description"),
    "example": ("Exemple", "Example"),
    "accepted": ("Valeurs admises", "Accepted values"),
    "constraints": ("Contraintes", "Constraints"),
    "synonyms": ("Autres en-têtes reconnus", "Other headers recognised"),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    "unique_in_city": ("unique pour une ville", "unique within a city"),
    "city_list": ("ville de la liste de référence", "a city of the reference list"),
    "pattern": ("motif {pattern}", "pattern {pattern}"),
    "sum_group": (
        "avec les autres colonnes du groupe « {group} », total ≤ {participants}",
        "with the other columns of group “{group}”, total ≤ {participants}",
    ),
    "today+1y": ("aujourd'hui + 1 an", "today + 1 year"),
    "today": ("aujourd'hui", "today"),
    "implies": ("renseigné, implique « {field} » = oui", "when filled, implies “{field}” = yes"),
    "metric": ("Indicateur", "Metric"),
    "definition": ("Définition", "Definition"),
    "formula": ("Calcul", "Formula"),
    "unit": ("Unité", "Unit"),
    "city": ("Ville", "City"),
    "country": ("Pays", "Country"),
    "last_load": ("Dernier chargement", "Last load"),
    "loads": ("Chargements", "Loads"),
    "records": ("Activités", "Records"),
    "latest_activity": ("Dernière activité", "Latest activity"),
    "flags": ("À vérifier", "To check"),
}
UNITS = {
    "count": ("nombre", "count"),
    "share": ("part (%)", "share (%)"),
    "per10k": ("pour 10 000 habitants", "per 10,000 inhabitants"),
    "index": ("indice", "index"),
    "days": ("jours", "days"),
}
# Quality columns of queries/sql/data_quality_by_city.sql: column -> (label, legend)
FLAGS = {
    "inactive": (
        ("Inactive depuis 6 mois", "Inactive for 6 months"),
        (
            "aucune activité n'a commencé dans les 6 derniers mois (par rapport à aujourd'hui).",
            "no activity started in the last 6 months (counted back from today).",
        ),
    ),
    "no_proposals": (
        ("Sans propositions reçues", "No proposals received"),
        (
            "part des activités sans nombre de propositions reçues ; signalé au-delà de la moitié (le taux d'adoption ne porte que sur les autres).",
            "share of records without a number of proposals received; flagged above one half (the adoption rate only covers the others).",
        ),
    ),
    "no_demographics": (
        ("Sans données démographiques", "No demographic data"),
        (
            "part des activités sans aucune des colonnes femmes, moins de 25 ans et nouveaux participants ; signalé au-delà de la moitié.",
            "share of records with none of the women, under-25 and newcomer columns; flagged above one half.",
        ),
    ),
    "no_stakeholders": (
        ("Sans répartition des acteurs", "No stakeholder breakdown"),
        (
            "part des activités sans aucune des cinq catégories d'acteurs (citoyens, entreprises, recherche, associations, institutions) ; signalé au-delà de la moitié.",
            "share of records with none of the five stakeholder groups (citizens, businesses, research, associations, public bodies); flagged above one half.",
        ),
    ),
    "demo": (
        ("Données de démonstration", "Demo data"),
        (
            "part des activités venues d'un chargement de démonstration (synthétique) ; signalé dès qu'il y en a.",
            "share of records from a demo (synthetic) load; flagged as soon as there are any.",
        ),
    ),
}
# Column widths in pixels, by TEXT or FLAGS key: long texts get room, short codes
# little; the first column of a wide table stays in view when it scrolls sideways.
WIDTHS = {
    "title": 160,
    "name": 150,
    "english_name": 130,
    "type": 125,
    "required": 90,
    "description": 360,
    "example": 160,
    "accepted": 520,
    "constraints": 230,
    "metric": 180,
    "definition": 380,
    "formula": 260,
    "unit": 110,
    "city": 250,  # "Région de Bruxelles-Capitale" whole
    "country": 100,
    "last_load": 150,
    "loads": 100,
    "records": 90,
    "latest_activity": 120,
    "flags": 260,
    **dict.fromkeys(FLAGS, 150),
}
PINNED = ("title", "city")  # the tables wider than the page
RIGHT = ("loads", "records", *FLAGS)  # numbers, aligned for comparison
MIME = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def _t(key: str, lang: str, **values) -> str:
    fr, en = TEXT[key]
    out = fr if lang == "fr" else en
    return out.format(**values) if values else out


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "fr" else pair[1]


def _label(key: str, lang: str) -> str:
    return _pick(FLAGS[key][0], lang) if key in FLAGS else _t(key, lang)


def column_widths(frame: pd.DataFrame, lang: str) -> dict[str, dict]:
    """`column_config` for st.dataframe: width, pinning and alignment of each column of
    a frame built here."""
    labels = {_label(key, lang): key for key in WIDTHS}
    return {
        column: {
            "width": WIDTHS[labels[column]],
            "pinned": labels[column] in PINNED,
            "alignment": "right" if labels[column] in RIGHT else "left",
        }
        for column in frame.columns
        if column in labels
    }


# --- the data dictionary ------------------------------------------------------------


def _example(f: Field, lang: str) -> str:
    if f.type == "boolean" and isinstance(f.example, bool):
        return _t("yes" if f.example else "no", lang)
    if f.type == "number" and lang == "fr":
        return str(f.example).replace(".", ",")
    return "" if f.example is None else str(f.example)


def _accepted(f: Field, lang: str) -> str:
    if f.is_code:
        return " · ".join(f"{c.label(lang)} ({c.code})" for c in f.codes)
    if f.type == "boolean":
        return " / ".join(BOOLEANS[lang])
    return ""


def _constraints(f: Field, schema: Schema, lang: str) -> str:
    raw = next(r for r in schema.raw["fields"] if r["name"] == f.name)
    out = []
    if f.name == schema.key_field:
        out.append(_t("unique_in_city", lang))
    if f.is_city:
        out.append(_t("city_list", lang))
    if f.minimum is not None:
        out.append(f"≥ {f.minimum:g}")
    for bound, sign in (("x-minimum", "≥"), ("x-maximum", "≤")):
        if bound in raw:
            out.append(f"{sign} {_t(raw[bound], lang) if raw[bound] in TEXT else raw[bound]}")
    if f.min_field:
        out.append(f"≥ {schema.field(f.min_field).title(lang)} ({f.min_field})")
    if f.max_field:
        out.append(f"≤ {schema.field(f.max_field).title(lang)} ({f.max_field})")
    if f.sum_group:
        bound = next(g.maximum_field for g in schema.sum_groups if g.name == f.sum_group)
        participants = schema.field(bound).title(lang)
        out.append(_t("sum_group", lang, group=f.sum_group, participants=participants))
    if f.pattern:
        out.append(_t("pattern", lang, pattern=f.pattern))
    if f.implies_true:
        out.append(_t("implies", lang, field=schema.field(f.implies_true).title(lang)))
    return " ; ".join(out) if lang == "fr" else "; ".join(out)


def dictionary(schema: Schema, lang: str) -> pd.DataFrame:
    """The data dictionary: one row per field of the contract, in file order, with
    headers and contents in `lang`."""
    rows = [
        {
            _t("title", lang): f.title(lang),
            _t("name", lang): f.name,
            _t("english_name", lang): f.english_name,
            _t("type", lang): TYPE_LABELS[lang][f.type],
            _t("required", lang): _t("yes" if f.required else "no", lang),
            _t("description", lang): f.description(lang),
            _t("example", lang): _example(f, lang),
            _t("accepted", lang): _accepted(f, lang),
            _t("constraints", lang): _constraints(f, schema, lang),
            _t("synonyms", lang): " · ".join(f.synonyms),
        }
        for f in schema.fields
    ]
    return pd.DataFrame(rows)


# The dictionary shown in two tables that each fit the page's width (a single one, nine
# columns wide, cut the descriptions at the right edge): what each column is, then what
# it accepts.
DICTIONARY_PARTS = (
    ("title", "name", "type", "required", "description"),
    ("title", "english_name", "example", "accepted", "constraints", "synonyms"),
)


def dictionary_parts(frame: pd.DataFrame, lang: str) -> list[pd.DataFrame]:
    """The dictionary's two tables (see DICTIONARY_PARTS)."""
    return [frame[[_t(key, lang) for key in keys]] for keys in DICTIONARY_PARTS]


# --- the metrics --------------------------------------------------------------------


def metric_definitions(lang: str) -> pd.DataFrame:
    """Label, definition, formula and unit of every metric of queries.metrics.METRICS."""
    rows = [
        {
            _t("metric", lang): m.label(lang),
            _t("definition", lang): m.definition(lang),
            _t("formula", lang): m.formula(lang),
            _t("unit", lang): _pick(UNITS[m.unit], lang),
        }
        for m in METRICS.values()
    ]
    return pd.DataFrame(rows)


# --- freshness and quality per city ------------------------------------------------


def flag_legend(lang: str) -> str:
    """The legend of the quality columns, as a Markdown list."""
    colon = " :" if lang == "fr" else ":"
    return "\n".join(f"- **{_pick(label, lang)}**{colon} {_pick(legend, lang)}" for label, legend in FLAGS.values())


def city_status(
    freshness: pd.DataFrame,
    quality: pd.DataFrame,
    lang: str,
    fmt_date: Callable,
    fmt_metric: Callable,
    country_name: Callable,
) -> pd.DataFrame:
    """One display row per city: freshness (data_freshness_by_city.sql), the quality
    shares and flags (data_quality_by_city.sql), the raised flags in words first.

    `fmt_date(value, lang, with_time=...)`, `fmt_metric(value, unit, lang)` and
    `country_name(code, lang)` are the formatters of ui/."""
    merged = freshness.merge(quality.drop(columns="records"), on="city_code", how="left")
    out = pd.DataFrame(
        {
            _t("city", lang): merged["city"],
            _t("country", lang): merged["country"].map(lambda c: country_name(c, lang)),
            _t("last_load", lang): merged["last_load"].map(lambda d: fmt_date(d, lang, with_time=True)),
            _t("loads", lang): merged["loads"].map(lambda n: fmt_metric(n, "count", lang)),
            _t("records", lang): merged["records"].map(lambda n: fmt_metric(n, "count", lang)),
            _t("latest_activity", lang): merged["latest_activity"].map(lambda d: fmt_date(d, lang)),
            _pick(FLAGS["inactive"][0], lang): merged["inactive"].astype(bool),
        }
    )
    for key in ("no_proposals", "no_demographics", "no_stakeholders", "demo"):
        out[_pick(FLAGS[key][0], lang)] = merged[f"share_{key}"].map(lambda v: fmt_metric(v, "share", lang))
    columns = {("inactive" if key == "inactive" else f"flag_{key}"): _pick(FLAGS[key][0], lang) for key in FLAGS}
    raised = merged[list(columns)].astype("boolean").fillna(False).astype(bool).rename(columns=columns)
    out.insert(2, _t("flags", lang), [" · ".join(raised.columns[row]) or "—" for row in raised.to_numpy()])
    return out
