"""Texts of the Overview page: key -> (French, English)."""

TEXT = {
    "title": ("Vue d'ensemble", "Overview"),
    "caption": (
        "Ce que les villes de la mission « 100 villes climatiquement neutres » ont déclaré de leurs activités de participation, sur la sélection.",
        "What the cities of the “100 climate-neutral and smart cities” mission have reported of their participation activities, for the selection.",
    ),
    "delta_help": (
        "Évolution par rapport à la période précédente de même durée.",
        "Change against the previous period of the same length.",
    ),
    "coverage": (
        "{active} des {members} villes de la mission ont déclaré au moins une activité sur la sélection.",
        "{active} of the {members} mission cities reported at least one activity in the selection.",
    ),
    "coverage_outside": (
        " Montrées aussi avec leurs données, hors des comptes et médianes de la mission : {names}.",
        " Also shown with their data, outside the mission's counts and medians: {names}.",
    ),
    "grain": ("Pas de temps", "Time step"),
    "month": ("Mois", "Month"),
    "quarter": ("Trimestre", "Quarter"),
}
