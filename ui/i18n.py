"""Language (French first, English second) and number and date formatting."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

LANGS = ("fr", "en")
LOCALES = {"fr": "fr_FR", "en": "en_GB"}

TEXTS = {
    "app_title": ("Participation citoyenne — villes de la mission", "Citizen engagement — mission cities"),
    "language": ("Langue", "Language"),
    "page_overview": ("Vue d'ensemble", "Overview"),
    "overview_title": ("Vue d'ensemble", "Overview"),
    "overview_caption": (
        "Ce que les villes de la mission « 100 villes climatiquement neutres » ont déclaré de leurs activités de participation.",
        "What the cities of the “100 climate-neutral and smart cities” mission have reported of their participation activities.",
    ),
    "demo_banner": (
        "Données de démonstration : ces chiffres sont synthétiques et ne décrivent aucune ville réelle.",
        "Demo data: these figures are synthetic and describe no real city.",
    ),
    "no_data": (
        "Aucune activité n'est encore chargée. Chargez un fichier avec « python -m etl load FICHIER » ou des données de démonstration avec « python -m etl demo ».",
        'No activity is loaded yet. Load a file with "python -m etl load FILE" or demo data with "python -m etl demo".',
    ),
    "period_caption": (
        "Activités du {start} au {end} · dernier chargement le {load}",
        "Activities from {start} to {end} · last load on {load}",
    ),
    "filters": ("Filtres", "Filters"),
    "period": ("Période", "Period"),
    "filter_country": ("Pays", "Countries"),
    "filter_city": ("Villes", "Cities"),
    "filter_method": ("Méthodes", "Methods"),
    "filter_theme": ("Thématiques", "Themes"),
    "filter_format": ("Format", "Channel"),
    "all": ("Toutes", "All"),
    "ignored_params": (
        "Paramètres d'adresse ignorés (valeurs inconnues) : {values}",
        "Link parameters ignored (unknown values): {values}",
    ),
    "no_match": (
        "Aucune activité ne correspond à ces filtres. Élargissez la période ou retirez un filtre.",
        "No activity matches these filters. Widen the period or remove a filter.",
    ),
}


def current_lang() -> str:
    """The language from the URL (?lang=en); French by default."""
    lang = st.query_params.get("lang", "fr")
    return lang if lang in LANGS else "fr"


def t(key: str, lang: str | None = None, **values) -> str:
    fr, en = TEXTS[key]
    text = fr if (lang or current_lang()) == "fr" else en
    return text.format(**values) if values else text


def fmt_number(value, lang: str, decimals: int = 0) -> str:
    """1 234,5 in French, 1,234.5 in English."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def fmt_date(value: date | datetime | None, lang: str, *, with_time: bool = False) -> str:
    """25 nov. 2026 in French, 25 Nov 2026 in English; with_time adds 21:49."""
    if value is None or value != value:  # None or NaT
        return "—"
    if isinstance(value, datetime):
        if with_time:
            return format_datetime(value, "d MMM y, HH:mm", locale=LOCALES[lang])
        value = value.date()
    return format_date(value, "medium", locale=LOCALES[lang])


def fmt_metric(value, unit: str, lang: str) -> str:
    """A metric value by unit: count 1 234, share 12,5 %, per10k 45,2, index 3,21."""
    if value is None or value != value:
        return "—"
    if unit == "share":
        return format_percent(value, format="#,##0.0 %", locale=LOCALES[lang])
    if unit == "per10k":
        return fmt_number(value, lang, decimals=1)
    if unit == "index":
        return fmt_number(value, lang, decimals=2)
    return fmt_number(value, lang)
