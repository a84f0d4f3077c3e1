"""Every metric, defined once: label, definition, formula and unit, in French and
English, and how it is computed from the base aggregates of
`queries/sql/aggregates_by_city.sql`. Pure: no streamlit, no database.

The tooltips of key figures and the Data page show these texts, so a counter is never
undocumented.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

STAKEHOLDERS = ("citizens", "businesses", "research", "associations", "public_bodies")
SMALL = 5  # demographic counts below this are shown as "< 5"
FEW = 3  # a follow-up metric resting on fewer activities is "—", with the reason


@dataclass(frozen=True)
class Metric:
    key: str
    label_fr: str
    label_en: str
    definition_fr: str
    definition_en: str
    formula_fr: str
    formula_en: str
    unit: str  # "count" | "share" (0-1, shown as %) | "per10k" | "index" | "days"
    compute: Callable[[pd.DataFrame], pd.Series]
    basis: str = "activities"  # the base column counting the activities the metric rests on
    minimum: int = 0  # fewer activities than this: no value ("—"), see `missing_reason`
    reports_fr: str = ""  # what those activities report, for the reason: "les propositions reçues"
    reports_en: str = ""
    better: str = "higher"  # "higher" | "lower" (a delay) | "neutral" (a ratio whose ideal is 1)

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en

    def definition(self, lang: str) -> str:
        return self.definition_fr if lang == "fr" else self.definition_en

    def formula(self, lang: str) -> str:
        return self.formula_fr if lang == "fr" else self.formula_en

    def reports(self, lang: str) -> str:
        return self.reports_fr if lang == "fr" else self.reports_en

    def help(self, lang: str) -> str:
        """The tooltip of a key figure: definition, then formula."""
        return f"{self.definition(lang)}\n\n{'Calcul : ' if lang == 'fr' else 'Formula: '}{self.formula(lang)}"


# The metrics are computed with numpy on whole columns: every page computes them on each
# run, and a pandas operation per metric costs more than the arithmetic itself.


def _floats(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype=float, na_value=np.nan)


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, missing (NaN) where the denominator is 0."""
    top, bottom = _floats(numerator), _floats(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(bottom != 0, top / bottom, np.nan), index=numerator.index)


def _evenness(frame: pd.DataFrame) -> pd.Series:
    """Pielou evenness of the five stakeholder groups: Shannon entropy / ln 5."""
    counts = frame[list(STAKEHOLDERS)].to_numpy(dtype=float, na_value=np.nan)
    total = np.nansum(counts, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = counts / total[:, None]
        terms = np.where(shares > 0, shares * np.log(np.where(shares > 0, shares, 1.0)), 0.0)
    entropy = -terms.sum(axis=1)
    return pd.Series(np.where(total > 0, entropy / math.log(len(STAKEHOLDERS)), np.nan), index=frame.index)


def _median_days(frame: pd.DataFrame) -> pd.Series:
    """The median of each group's list of answer delays (days)."""
    values = [float(np.median(days)) if days is not None and len(days) else np.nan for days in frame["answer_delays"]]
    return pd.Series(values, index=frame.index, dtype=float)


def _representation(group: str) -> Callable[[pd.DataFrame], pd.Series]:
    """A group's share among participants over its share among inhabitants, only where
    both the group's participations and the others' reach the privacy threshold."""

    def compute(f: pd.DataFrame) -> pd.Series:
        seen, base = _floats(f[f"{group}_with_structure"]), _floats(f[f"{group}_base_with_structure"])
        enough = (seen >= SMALL) & (base - seen >= SMALL)
        return ratio(f[f"{group}_with_structure"], f[f"{group}_expected"]).where(enough)

    return compute


def _column(name: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda f: f[name]


METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "activities",
            "Activités",
            "Activities",
            "Activités de participation enregistrées : une ligne de fichier est une activité ou une série de séances.",
            "Participation activities recorded: one file row is one activity or one series of sessions.",
            "nombre de lignes",
            "number of rows",
            "count",
            _column("activities"),
        ),
        Metric(
            "sessions",
            "Séances",
            "Sessions",
            "Séances tenues, toutes activités confondues.",
            "Sessions held, over all activities.",
            "somme de nb_seances",
            "sum of nb_seances",
            "count",
            _column("sessions"),
        ),
        Metric(
            "participations",
            "Participations",
            "Participations",
            "Participations à toutes les séances : une personne venue à trois séances compte trois fois. Ce ne sont pas des personnes uniques.",
            "Participations in all sessions: one person attending three sessions counts three times. These are not unique people.",
            "somme de nb_participants",
            "sum of nb_participants",
            "count",
            _column("participations"),
        ),
        Metric(
            "proposals_received",
            "Propositions reçues",
            "Proposals received",
            "Propositions ou contributions reçues des participants.",
            "Proposals or contributions received from participants.",
            "somme de nb_propositions_recues",
            "sum of nb_propositions_recues",
            "count",
            _column("proposals_received"),
            basis="received_activities",
            reports_fr="les propositions reçues",
            reports_en="the proposals received",
        ),
        Metric(
            "proposals_adopted",
            "Propositions retenues",
            "Proposals adopted",
            "Propositions retenues par les villes.",
            "Proposals adopted by the cities.",
            "somme de nb_propositions_retenues",
            "sum of nb_propositions_retenues",
            "count",
            _column("proposals_adopted"),
        ),
        Metric(
            "adopted_without_received",
            "Retenues hors taux d'adoption",
            "Adopted outside the adoption rate",
            "Propositions retenues par des activités qui ne déclarent pas les propositions reçues : elles comptent dans les propositions retenues, pas dans le taux d'adoption.",
            "Proposals adopted by activities that do not report the proposals received: they count in the proposals adopted, not in the adoption rate.",
            "propositions retenues − propositions retenues des activités qui déclarent les reçues",
            "proposals adopted − proposals adopted by activities reporting those received",
            "count",
            lambda f: f["proposals_adopted"] - f["adopted_where_received"],
        ),
        Metric(
            "adoption_rate",
            "Taux d'adoption",
            "Adoption rate",
            "Part des propositions reçues qui ont été retenues, sur les activités qui déclarent les propositions reçues.",
            "Share of the proposals received that were adopted, over the activities that report proposals received.",
            "propositions retenues / propositions reçues (activités où les deux sont renseignés)",
            "proposals adopted / proposals received (activities reporting both)",
            "share",
            lambda f: ratio(f["adopted_where_received"], f["proposals_received"]),
            basis="received_activities",
            reports_fr="les propositions reçues",
            reports_en="the proposals received",
        ),
        Metric(
            "per_10k",
            "Pour 10 000 habitants",
            "Per 10,000 inhabitants",
            "Intensité de la participation rapportée à la population de la ville (sa population de référence : "
            "valeur, source, année et périmètre sur la page de la ville). Une ville sans population connue n'a pas "
            "ce chiffre (« — ») et ses participations ne comptent pas dans celui d'un ensemble de villes.",
            "Participation intensity relative to the city's population (its reference population: value, source, "
            'year and perimeter on the city\'s page). A city with no known population has no such figure ("—") and '
            "its participations do not count in that of a group of cities.",
            "participations / population × 10 000 (villes dont la population est connue)",
            "participations / population × 10,000 (cities with a known population)",
            "per10k",
            lambda f: 10_000 * ratio(f["participations_with_population"], f["population"]),
            basis="activities_with_population",
        ),
        Metric(
            "cocreation_share",
            "Part de co-création",
            "Share of co-creation",
            "Part des activités de co-construction ou de co-décision : ce que la mission appelle la co-création.",
            "Share of activities at co-construction or co-decision level: what the mission calls co-creation.",
            "activités de co-construction ou co-décision / activités",
            "co-construction or co-decision activities / activities",
            "share",
            lambda f: ratio(f["cocreation_activities"], f["activities"]),
        ),
        Metric(
            "cocreation_share_participations",
            "Part de co-création (participations)",
            "Share of co-creation (participations)",
            "Part des participations qui ont eu lieu dans des activités de co-construction ou de co-décision.",
            "Share of participations that took place in co-construction or co-decision activities.",
            "participations en co-construction ou co-décision / participations",
            "participations in co-construction or co-decision / participations",
            "share",
            lambda f: ratio(f["cocreation_participations"], f["participations"]),
        ),
        Metric(
            "depth_index",
            "Indice de profondeur",
            "Depth index",
            "Niveau moyen d'engagement, pondéré par les participations : 1 = information, 5 = co-décision.",
            "Mean engagement level weighted by participations: 1 = information, 5 = co-decision.",
            "Σ (participations × rang du niveau) / Σ participations",
            "Σ (participations × level rank) / Σ participations",
            "index",
            lambda f: ratio(f["depth_weighted"], f["participations"]),
        ),
        Metric(
            "newcomer_rate",
            "Part de nouveaux participants",
            "Newcomer rate",
            "Part des participations de personnes qui n'avaient jamais participé, là où c'est renseigné.",
            "Share of participations by people who had never taken part before, where reported.",
            "nouveaux participants / participants (activités qui le renseignent)",
            "new participants / participants (activities reporting it)",
            "share",
            lambda f: ratio(f["newcomers"], f["newcomers_base"]),
            basis="newcomer_activities",
            reports_fr="les nouveaux participants",
            reports_en="the new participants",
        ),
        Metric(
            "women_share",
            "Part de femmes",
            "Women's share",
            "Part des participations de femmes, là où c'est renseigné.",
            "Share of participations by women, where reported.",
            "femmes / participants (activités qui le renseignent)",
            "women / participants (activities reporting it)",
            "share",
            lambda f: ratio(f["women"], f["women_base"]),
            basis="women_activities",
            reports_fr="le nombre de femmes",
            reports_en="the number of women",
        ),
        Metric(
            "under_25_share",
            "Part de moins de 25 ans",
            "Under-25 share",
            "Part des participations de personnes de moins de 25 ans, là où c'est renseigné.",
            "Share of participations by people under 25, where reported.",
            "moins de 25 ans / participants (activités qui le renseignent)",
            "under 25 / participants (activities reporting it)",
            "share",
            lambda f: ratio(f["under_25"], f["under_25_base"]),
            basis="under_25_activities",
            reports_fr="le nombre de moins de 25 ans",
            reports_en="the number of under-25s",
        ),
        Metric(
            "stakeholder_diversity",
            "Diversité des acteurs",
            "Stakeholder diversity",
            "Équilibre entre les cinq catégories d'acteurs (citoyens, entreprises, recherche, associations, institutions) : 0 = une seule catégorie, 1 = toutes à parts égales.",
            "Balance between the five stakeholder groups (citizens, businesses, research, associations, public bodies): 0 = a single group, 1 = all in equal parts.",
            "indice de Pielou : −Σ pᵢ ln pᵢ / ln 5, pᵢ = part de chaque catégorie",
            "Pielou evenness: −Σ pᵢ ln pᵢ / ln 5, pᵢ = share of each group",
            "index",
            _evenness,
            basis="stakeholder_activities",
            reports_fr="les catégories d'acteurs",
            reports_en="the stakeholder groups",
        ),
        Metric(
            "public_response_rate",
            "Taux de retour public",
            "Public response rate",
            "Part des activités dont la ville a publiquement répondu aux propositions, là où c'est renseigné.",
            "Share of activities whose proposals the city answered publicly, where reported.",
            "activités avec retour public / activités qui le renseignent",
            "activities with a public response / activities reporting it",
            "share",
            lambda f: ratio(f["public_responses"], f["public_response_base"]),
            basis="public_response_base",
            reports_fr="le retour public",
            reports_en="the public response",
        ),
        Metric(
            "answer_rate",
            "Taux de réponse",
            "Answer rate",
            "Part des propositions reçues auxquelles la ville a répondu publiquement et de façon motivée, retenues ou non, sur les activités qui déclarent les deux.",
            "Share of the proposals received that the city answered publicly, with its reasons, adopted or not, over the activities that report both.",
            "propositions ayant reçu une réponse / propositions reçues (activités où les deux sont renseignés)",
            "proposals answered / proposals received (activities reporting both)",
            "share",
            lambda f: ratio(f["answered"], f["received_where_answered"]),
            basis="answer_activities",
            minimum=FEW,
            reports_fr="les propositions reçues et celles ayant reçu une réponse",
            reports_en="the proposals received and those answered",
        ),
        Metric(
            "median_days_to_answer",
            "Délai médian de réponse",
            "Median time to answer",
            "Nombre de jours entre la fin de l'activité (ou son début, sans date de fin) et la réponse publique de la ville : la moitié des réponses sont publiées plus vite. Une réponse publiée avant la fin compte 0 jour.",
            "Days from the end of the activity (or its start, without an end date) to the city's public answer: half of the answers are published sooner. An answer published before the end counts 0 days.",
            "médiane de (date de la réponse publique − date de fin, ou de début), en jours",
            "median of (public response date − end date, or start date), in days",
            "days",
            _median_days,
            basis="delay_activities",
            minimum=FEW,
            reports_fr="la date de la réponse publique",
            reports_en="the public response date",
            better="lower",
        ),
        Metric(
            "answered_within_90_days",
            "Réponses en 90 jours",
            "Answered within 90 days",
            "Part des activités dont la réponse publique est parue au plus 90 jours après leur fin (ou leur début), sur les activités qui datent leur réponse.",
            "Share of the activities whose public answer was published at most 90 days after their end (or start), over the activities that date their answer.",
            "activités répondues en 90 jours au plus / activités avec une date de réponse",
            "activities answered within 90 days / activities with a response date",
            "share",
            lambda f: ratio(f["answered_within_90"], f["delay_activities"]),
            basis="delay_activities",
            minimum=FEW,
            reports_fr="la date de la réponse publique",
            reports_en="the public response date",
        ),
        Metric(
            "implementation_rate",
            "Taux de mise en œuvre",
            "Implementation rate",
            "Part des propositions retenues réalisées ou en cours de réalisation, sur les activités qui le déclarent.",
            "Share of the adopted proposals carried out or under way, over the activities that report it.",
            "propositions mises en œuvre / propositions retenues (activités qui renseignent la mise en œuvre)",
            "proposals implemented / proposals adopted (activities reporting implementation)",
            "share",
            lambda f: ratio(f["implemented"], f["adopted_where_implemented"]),
            basis="implementation_activities",
            minimum=FEW,
            reports_fr="les propositions mises en œuvre",
            reports_en="the proposals implemented",
        ),
        Metric(
            "returning_share",
            "Part de participants fidèles",
            "Returning participants' share",
            "Part des participations de personnes qui avaient déjà pris part à une activité de la ville : l'implication dans la durée. Sur les activités qui déclarent les nouveaux participants.",
            "Share of participations by people who had already taken part in an activity of the city: involvement over time. Over the activities that report new participants.",
            "1 − nouveaux participants / participants (activités qui renseignent les nouveaux)",
            "1 − new participants / participants (activities reporting new participants)",
            "share",
            lambda f: 1 - ratio(f["newcomers"], f["newcomers_base"]),
            basis="newcomer_activities",
            minimum=FEW,
            reports_fr="les nouveaux participants",
            reports_en="the new participants",
        ),
        Metric(
            "women_representation",
            "Représentation des femmes",
            "Women's representation",
            "Part des femmes parmi les participations rapportée à leur part dans la population de la ville : 1 = autant représentées que dans la ville, moins de 1 = sous-représentées. Affiché seulement si les femmes et les autres participations sont au moins 5 chacune (secret statistique).",
            "Women's share of the participations over their share of the city's population: 1 = as represented as in the city, below 1 = under-represented. Shown only where women and the other participations are at least 5 each (statistical confidentiality).",
            "(femmes / participants) / part des femmes dans la population (villes dont la structure est connue)",
            "(women / participants) / women's share of the population (cities whose structure is known)",
            "index",
            _representation("women"),
            basis="women_activities_with_structure",
            minimum=1,
            reports_fr="le nombre de femmes, dans une ville dont la structure de la population est connue",
            reports_en="the number of women, in a city whose population structure is known",
            better="neutral",
        ),
        Metric(
            "under_25_representation",
            "Représentation des moins de 25 ans",
            "Under-25s' representation",
            "Part des moins de 25 ans parmi les participations rapportée à leur part dans la population de la ville : 1 = autant représentés que dans la ville. Affiché seulement si les moins de 25 ans et les autres participations sont au moins 5 chacun (secret statistique).",
            "Under-25s' share of the participations over their share of the city's population: 1 = as represented as in the city. Shown only where under-25s and the other participations are at least 5 each (statistical confidentiality).",
            "(moins de 25 ans / participants) / part des moins de 25 ans dans la population (villes dont la structure est connue)",
            "(under 25 / participants) / under-25s' share of the population (cities whose structure is known)",
            "index",
            _representation("under_25"),
            basis="under_25_activities_with_structure",
            minimum=1,
            reports_fr="le nombre de moins de 25 ans, dans une ville dont la structure de la population est connue",
            reports_en="the number of under-25s, in a city whose population structure is known",
            better="neutral",
        ),
    ]
}
REPRESENTATION = ("women_representation", "under_25_representation")
FOLLOW_UP = (
    "answer_rate",
    "median_days_to_answer",
    "answered_within_90_days",
    "implementation_rate",
    "returning_share",
)
KEY_FIGURES = (
    "activities",
    "sessions",
    "participations",
    "proposals_adopted",
    "adoption_rate",
    "cocreation_share",
    "per_10k",
)
BASE_COLUMNS = (
    "activities",
    "sessions",
    "participations",
    "participations_with_population",
    "proposals_received",
    "proposals_adopted",
    "adopted_where_received",
    "cocreation_activities",
    "cocreation_participations",
    "depth_weighted",
    "newcomers",
    "newcomers_base",
    "women",
    "women_base",
    "under_25",
    "under_25_base",
    *STAKEHOLDERS,
    "public_responses",
    "public_response_base",
    "population",
    "received_activities",
    "activities_with_population",
    "newcomer_activities",
    "women_activities",
    "under_25_activities",
    "stakeholder_activities",
    "answered",
    "received_where_answered",
    "answer_activities",
    "answered_within_90",
    "implemented",
    "adopted_where_implemented",
    "implementation_activities",
    "women_with_structure",
    "women_base_with_structure",
    "women_expected",
    "women_activities_with_structure",
    "under_25_with_structure",
    "under_25_base_with_structure",
    "under_25_expected",
    "under_25_activities_with_structure",
)
LIST_COLUMNS = ("answer_delays",)  # per group, joined (not summed) over a selection


def _with_delay_count(aggregates: pd.DataFrame) -> pd.DataFrame:
    """`delay_activities`, the activities that date their answer: the length of the list."""
    if "delay_activities" in aggregates.columns:
        return aggregates
    counts = [0 if days is None else len(days) for days in aggregates["answer_delays"]]
    return aggregates.assign(delay_activities=np.array(counts, dtype="int64"))


def measure(key: str, frame: pd.DataFrame) -> pd.Series:
    """One metric on any frame holding its base columns (e.g. per quarter), missing where it
    rests on fewer activities than its minimum."""
    metric = METRICS[key]
    values = metric.compute(frame)
    if metric.minimum:
        values = values.where(frame[metric.basis].to_numpy(dtype=float) >= metric.minimum)
    return values


def compute(aggregates: pd.DataFrame) -> pd.DataFrame:
    """Add one column per metric to a frame of base aggregates (one row per group). A
    metric with a `minimum` is missing (NaN) where fewer activities report it."""
    aggregates = _with_delay_count(aggregates)
    computed = {key: metric.compute(aggregates) for key, metric in METRICS.items()}
    for key, metric in METRICS.items():
        if metric.minimum:
            enough = aggregates[metric.basis].to_numpy(dtype=float) >= metric.minimum
            computed[key] = computed[key].where(enough)
    # Counts that are already base columns keep their place; the others are added at the end,
    # all at once (one column at a time copies the frame's blocks each time).
    out = aggregates.assign(**{key: values for key, values in computed.items() if key in aggregates.columns})
    added = pd.DataFrame({key: values for key, values in computed.items() if key not in aggregates.columns})
    return pd.concat([out, added.set_axis(out.index)], axis=1)


def total(aggregates: pd.DataFrame) -> pd.Series:
    """The metrics of the whole selection: base aggregates summed over its cities."""
    summed = aggregates[list(BASE_COLUMNS)].sum().to_frame().T
    for name in LIST_COLUMNS:
        parts = [np.asarray(days, dtype=float) for days in aggregates[name] if days is not None and len(days)]
        summed[name] = pd.Series([np.concatenate(parts) if parts else np.array([], dtype=float)])
    return compute(summed).iloc[0]


def activities_counted(key: str, values) -> int:
    """How many activities a metric's value rests on (`values`: a row of `compute`/`total`)."""
    return int(values[METRICS[key].basis]) if METRICS[key].basis in values else int(values["activities"])


def missing_reason(key: str, values, lang: str) -> str | None:
    """Why a metric shows "—" for a group (a row of `compute` or `total`), or None when it
    has a value."""
    value = values[key]
    if value is not None and value == value:
        return None
    metric, counted = METRICS[key], activities_counted(key, values)
    if not int(values["activities"]):
        return "Aucune activité dans la sélection." if lang == "fr" else "No activity in the selection."
    if counted == 0 and metric.reports_fr:
        return (
            f"Aucune activité de la sélection ne renseigne {metric.reports_fr}."
            if lang == "fr"
            else f"No activity in the selection reports {metric.reports_en}."
        )
    if key in REPRESENTATION:
        return (
            f"Moins de {SMALL} participations dans le groupe ou hors du groupe : non affiché (secret statistique)."
            if lang == "fr"
            else f"Fewer than {SMALL} participations in the group or outside it: not shown (statistical confidentiality)."
        )
    if counted < metric.minimum:
        return (
            f"Trop peu d'activités renseignent {metric.reports_fr} : {counted}, il en faut au moins {metric.minimum}."
            if lang == "fr"
            else f"Too few activities report {metric.reports_en}: {counted}, at least {metric.minimum} are needed."
        )
    return (
        "Pas de valeur : le dénominateur est nul pour cette sélection."
        if lang == "fr"
        else "No value: the denominator is zero for this selection."
    )


def median_of_cities(aggregates: pd.DataFrame) -> pd.Series:
    """Each metric's median over the mission cities (members only: a city outside the
    mission is shown with its data but never counts here) that have at least one activity.
    A metric a city does not have (per 10,000 inhabitants without a population) leaves it
    out of that metric's median."""
    active = compute(aggregates)
    active = active[(active["activities"] > 0) & active["member"].astype(bool)]
    return active[list(METRICS)].median(numeric_only=True)


def cities_in_median(aggregates: pd.DataFrame) -> int:
    """How many cities `median_of_cities` takes the median over."""
    return int(((aggregates["activities"] > 0) & aggregates["member"].astype(bool)).sum())


def small_count(value) -> str | int:
    """Demographic counts below 5 are not shown exactly."""
    if value is None or value != value:
        return value
    return f"< {SMALL}" if 0 < value < SMALL else int(value)
