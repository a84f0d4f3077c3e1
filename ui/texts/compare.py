"""Texts of the Compare page: key -> (French, English)."""

TEXT = {
    "title": ("Comparer des villes", "Compare cities"),
    "caption": (
        "De deux à douze villes côte à côte, sur la période, les méthodes, les thématiques et le format choisis dans la barre latérale. Activités du",
        "Two to twelve cities side by side, over the period, methods, themes and channel chosen in the sidebar. Activities from",
    ),
    "cities": ("Villes à comparer (2 à 12)", "Cities to compare (2 to 12)"),
    "cities_help": (
        "Par défaut : les villes du filtre de la barre latérale s'il en retient de 2 à 12, sinon les 6 villes qui comptent le plus de participations sur la sélection.",
        "By default: the cities of the sidebar filter when it holds 2 to 12, otherwise the 6 cities with the most participations in the selection.",
    ),
    "placeholder": ("Choisissez des villes", "Choose cities"),
    "per": ("Valeurs", "Values"),
    "raw": ("Brutes", "Raw"),
    "capita": ("Pour 10 000 habitants", "Per 10,000 inhabitants"),
    "per_help": (
        "S'applique aux petits graphiques et au classement : les participations divisées par la population de chaque ville.",
        "Applies to the small charts and the ranking: participations divided by each city's population.",
    ),
    "too_few": (
        "Choisissez au moins deux villes à comparer dans la liste ci-dessus.",
        "Choose at least two cities to compare in the list above.",
    ),
    "ranking": ("Classement", "Ranking"),
    "ranking_caption": (
        "Classées par {measure}, de la plus forte à la plus faible. Survolez un en-tête de colonne pour sa définition.",
        "Ranked by {measure}, highest first. Hover over a column header for its definition.",
    ),
    "no_population": (
        "Sans population de référence, donc « — » pour 10 000 habitants et absente de l'intensité : {cities}. Pourquoi : page de la ville.",
        'No reference population, hence "—" per 10,000 inhabitants and left out of intensity: {cities}. Why: the city\'s page.',
    ),
    "outside": (
        "Hors mission (montrée avec ses données, jamais dans les médianes de la mission) : {cities}.",
        "Outside the mission (shown with its data, never in the mission's medians): {cities}.",
    ),
    "rank": ("Rang", "Rank"),
    "city": ("Ville", "City"),
    "tab_levels": ("Profil des degrés d'engagement", "Profile of the degrees of engagement"),
    "tab_scatter": ("Intensité et profondeur", "Intensity and depth"),
}
