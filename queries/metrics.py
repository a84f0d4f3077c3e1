"""Metric definitions, written once and shown everywhere (labels, formulas, tooltips)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    key: str
    label_fr: str
    label_en: str
    definition_fr: str
    definition_en: str

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en

    def definition(self, lang: str) -> str:
        return self.definition_fr if lang == "fr" else self.definition_en


METRICS = {
    m.key: m
    for m in [
        Metric(
            "activities",
            "Activités",
            "Activities",
            "Nombre d'activités de participation enregistrées (une ligne de fichier = une activité ou une série de séances).",
            "Number of participation activities recorded (one file row = one activity or one series of sessions).",
        ),
        Metric(
            "sessions",
            "Séances",
            "Sessions",
            "Somme du nombre de séances tenues (nb_seances).",
            "Sum of the sessions held (nb_seances).",
        ),
        Metric(
            "participations",
            "Participations",
            "Participations",
            "Somme des participants de chaque activité (nb_participants). Une personne venue à trois séances compte trois fois : ce ne sont pas des personnes uniques.",
            "Sum of the participants of each activity (nb_participants). One person attending three sessions counts three times: these are not unique people.",
        ),
        Metric(
            "proposals_adopted",
            "Propositions retenues",
            "Proposals adopted",
            "Somme des propositions retenues par les villes (nb_propositions_retenues).",
            "Sum of the proposals adopted by the cities (nb_propositions_retenues).",
        ),
        Metric(
            "cities",
            "Villes",
            "Cities",
            "Nombre de villes ayant au moins une activité enregistrée.",
            "Number of cities with at least one recorded activity.",
        ),
    ]
}
