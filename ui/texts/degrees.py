"""Texts of the Degrees of engagement page: key -> (French, English)."""

TEXT = {
    "title": ("Degrés d'engagement", "Degrees of engagement"),
    "scale": ("L'échelle et ses équivalents", "The scale and its equivalents"),
    "examples": ("Exemples : {examples}", "Examples: {examples}"),
    "equivalent": ("{lens} : **{label}**", "{lens}: **{label}**"),
    "co_creation": (
        "**Co-création** : {levels} — c'est ce que la mission appelle la co-création.",
        "**Co-creation**: {levels} — this is what the mission calls co-creation.",
    ),
    "and": (" et ", " and "),
    "sources": ("Sources : {sources}", "Sources: {sources}"),
    "in_data": ("Dans les activités de la sélection", "In the activities of the selection"),
    "lens": ("Grille de lecture", "Lens"),
    "tab_depth": ("La profondeur dans le temps", "Depth over time"),
    "tab_adoption": ("Ce que deviennent les propositions", "What becomes of the proposals"),
    "depth_lines": (
        "Une ligne fine par ville quand le filtre « Villes » en retient de 1 à {max}.",
        "One thin line per city when the “Cities” filter keeps 1 to {max} of them.",
    ),
}
