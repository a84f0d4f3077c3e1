"""Language (French first, English second) and number and date formatting."""

from __future__ import annotations

import streamlit as st

from charts.format import LOCALES, counted, fmt_date, fmt_metric, fmt_number

LANGS = ("fr", "en")
# Date columns of st.dataframe (st.column_config.DateColumn's moment.js format): its month
# names would be English, so French pages show the numeric French form.
DATE_FORMAT = {"fr": "DD/MM/YYYY", "en": "D MMM YYYY"}
__all__ = ["DATE_FORMAT", "LANGS", "LOCALES", "counted", "current_lang", "fmt_date", "fmt_metric", "fmt_number", "t"]

TEXTS = {
    "app_title": ("Participation citoyenne — villes de la mission", "Citizen engagement — mission cities"),
    "language": ("Langue", "Language"),
    # The activities/participations switch of the Overview and Degrees pages (ui/widgets.measure_switch).
    "measure": ("Mesure", "Measure"),
    "measure_activities": ("Activités", "Activities"),
    "measure_participations": ("Participations", "Participations"),
    "page_overview": ("Vue d'ensemble", "Overview"),
    "page_city": ("Ville", "City"),
    "page_compare": ("Comparer", "Compare"),
    "page_degrees": ("Degrés d'engagement", "Degrees of engagement"),
    "page_data": ("Données", "Data"),
    "page_followup": ("Suites données", "Follow-up"),
    "page_present": ("Présenter", "Present"),
    "page_upload": ("Déposer des données", "Upload"),
    "page_history": ("Historique", "History"),
    "page_signin": ("Se connecter", "Sign in"),
    "page_admin": ("Administration", "Administration"),
    "overview_title": ("Vue d'ensemble", "Overview"),
    "overview_caption": (
        "Ce que les villes de la mission « 100 villes climatiquement neutres » ont déclaré de leurs activités de participation.",
        "What the cities of the “100 climate-neutral and smart cities” mission have reported of their participation activities.",
    ),
    "open_data_banner": (
        "Données réelles publiées : les budgets participatifs de Kraków, Warszawa, Wrocław, Łódź et Amsterdam, "
        "tels que ces villes en ont publié les résultats, tirés de la bibliothèque Pabulib "
        "([pabulib.org](https://pabulib.org) ; Faliszewski et al., IJCAI 2023). "
        "Une ligne par budget ; les participations sont des votes, pas des personnes uniques.",
        "Real published figures: the participatory budgets of Kraków, Warszawa, Wrocław, Łódź and Amsterdam, "
        "as these cities published their results, from the Pabulib library "
        "([pabulib.org](https://pabulib.org); Faliszewski et al., IJCAI 2023). "
        "One row per budget; participations are votes cast, not unique people.",
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
    # Placeholders of select boxes and multiselects (Streamlit's own are in English).
    "choose_one": ("Choisissez…", "Choose…"),
    "choose_many": ("Choisissez…", "Choose…"),
    "period": ("Période", "Period"),
    "filter_group": ("Groupe de pays", "Country group"),
    "filter_group_help": (
        "Les villes des États membres de l'UE, ou celles des pays associés au programme Horizon Europe (Norvège, Royaume-Uni, Turquie…).",
        "The cities of EU member states, or those of the countries associated with Horizon Europe (Norway, the United Kingdom, Turkey…).",
    ),
    "all_groups": ("Tous", "All"),
    "filter_country": ("Pays", "Countries"),
    "filter_city": ("Villes", "Cities"),
    "filter_city_help": (
        "Chaque ville est nommée en français, avec son nom local à côté (Varsovie · Warszawa) ; on peut taper l'un ou l'autre. "
        "La liste suit les pays choisis.",
        "Each city is named in English, with its local name beside it (Warsaw · Warszawa); type either. "
        "The list follows the countries chosen.",
    ),
    # The filters drawn only when opened (ui/filters.py).
    "more_filters": ("Groupe de pays, méthodes, thématiques, format", "Country group, methods, themes, channel"),
    "more_filters_applied": ("Filtres appliqués — {filters}", "Filters applied — {filters}"),
    "filter_method": ("Méthodes", "Methods"),
    "filter_theme": ("Thématiques", "Themes"),
    "filter_format": ("Format", "Channel"),
    "all": ("Toutes", "All"),
    "ignored_params": (
        "Paramètres d'adresse ignorés (valeurs inconnues) : {values}",
        "Link parameters ignored (unknown values): {values}",
    ),
    # What the median of the mission cities covers (ui.filters.median_scope).
    "median_gap": (
        "Écart à la médiane de {cities} de la mission : les membres qui ont au moins une activité du {start} au {end}{filters}. Le filtre « Villes » ne s'applique pas à la médiane ; les villes hors mission n'y comptent pas, et une ville sans population n'entre pas dans la médiane pour 10 000 habitants.",
        "Difference from the median of {cities} of the mission: the members with at least one activity from {start} to {end}{filters}. The “Cities” filter does not apply to the median; cities outside the mission do not count, and a city without a population stays out of the per-10,000 median.",
    ),
    "median_lines": (
        "Les lignes pointillées sont les médianes de {cities} de la mission, pas seulement des villes comparées : les membres qui ont au moins une activité du {start} au {end}{filters}.",
        "The dashed lines are the medians of {cities} of the mission, not only of the cities compared: the members with at least one activity from {start} to {end}{filters}.",
    ),
    # Compared cities a country filter took out (ui.filters.left_out_note).
    "left_out_one": (
        "Retirée de la comparaison par le filtre « {filter} » ({countries}) : {cities}. Élargissez ce filtre pour la comparer à nouveau.",
        "Left out of the comparison by the “{filter}” filter ({countries}): {cities}. Widen the filter to compare it again.",
    ),
    "left_out_many": (
        "Retirées de la comparaison par le filtre « {filter} » ({countries}) : {cities}. Élargissez ce filtre pour les comparer à nouveau.",
        "Left out of the comparison by the “{filter}” filter ({countries}): {cities}. Widen the filter to compare them again.",
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
