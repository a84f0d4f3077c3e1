"""Texts of the City page: key -> (French, English)."""

TEXT = {
    "title": ("Ville", "City"),
    "city": ("Choisir une ville", "Choose a city"),
    "caption": (
        "{city} : ses activités de participation du {start} au {end}, selon les filtres.",
        "{city}: its participation activities from {start} to {end}, within the filters.",
    ),
    "population": (
        "Pour 10 000 habitants : sur une population de {population} habitants — {source}, {year} ; périmètre : {perimeter}.",
        "Per 10,000 inhabitants: out of a population of {population} — {source}, {year}; perimeter: {perimeter}.",
    ),
    "year_unknown": ("année inconnue", "year unknown"),
    "no_population": (
        "Pour 10 000 habitants : « — », cette ville n'a pas de population de référence. {remark}",
        'Per 10,000 inhabitants: "—", this city has no reference population. {remark}',
    ),
    "remark": ("À savoir : {remark}", "Note: {remark}"),
    "outside": (
        "{city} n'est pas une ville de la mission : ses activités sont montrées, mais elle ne compte ni dans les médianes ni dans les comptes de la mission.",
        "{city} is not a mission city: its activities are shown, but it counts neither in the mission's medians nor in its counts.",
    ),
    "inclusiveness": ("Inclusion", "Inclusiveness"),
    "no_inclusiveness": (
        "Cette ville ne renseigne ni le nombre de femmes, ni celui des moins de 25 ans, ni celui des nouveaux participants sur la sélection.",
        "This city reports neither women, nor under-25s, nor new participants in the selection.",
    ),
    "tab_proposals": ("Propositions et méthodes", "Proposals and methods"),
    "tab_people": ("Qui participe", "Who takes part"),
    "tab_activities": ("Ses activités", "Its activities"),
    "search": ("Rechercher dans les titres", "Search the titles"),
    "search_help": (
        "Garde les activités dont le titre contient ce texte (majuscules et minuscules confondues).",
        "Keeps the activities whose title contains this text (upper and lower case alike).",
    ),
    "rows": ("{n} affichées", "{n} shown"),
    "activity": ("activité|activités", "activity|activities"),
    "no_rows": (
        "Aucune activité de la sélection n'a « {search} » dans son titre : essayez un autre mot.",
        "No activity of the selection has “{search}” in its title: try another word.",
    ),
    "csv": ("Télécharger en CSV", "Download as CSV"),
    "xlsx": ("Télécharger en XLSX", "Download as XLSX"),
    "file": ("activites", "activities"),
}
