"""Texts of the Follow-up page: key -> (French, English)."""

TEXT = {
    "title": ("Suites données aux propositions", "Follow-up of the proposals"),
    "caption": (
        "Ce que deviennent les propositions des habitants — réponse, délai, mise en œuvre — et qui participe par rapport à qui habite la ville, du {start} au {end}, selon les filtres.",
        "What becomes of the inhabitants' proposals — answer, time, implementation — and who takes part against who lives in the city, from {start} to {end}, within the filters.",
    ),
    "focus": ("Entonnoir de", "Funnel of"),
    "whole": ("Toute la sélection", "The whole selection"),
    "missing": ("« — » {metric} : {reason}", "“—” {metric}: {reason}"),
    "demo_structure": (
        "Structure de la population : valeurs fictives de démonstration (data/population_structure_demo.csv).",
        "Population structure: made-up demo values (data/population_structure_demo.csv).",
    ),
    "no_structure": (
        "Aucune structure de population n'est chargée : un coordinateur la charge avec « python -m etl cities structure FICHIER » (voir le README).",
        "No population structure is loaded: a coordinator loads it with “python -m etl cities structure FILE” (see the README).",
    ),
}
