"""Texts of the Present page, the slides and the chart widget: key -> (French, English)."""

TEXT = {
    "page": ("Présenter", "Present"),
    "title": ("Présenter", "Present"),
    "report_title": (
        "Participation citoyenne dans les villes de la mission",
        "Citizen participation in the mission cities",
    ),
    "caption": (
        "Un graphique par diapositive, à partir de la sélection de la barre latérale : à projeter en réunion, à enregistrer sous un nom, à exporter.",
        "One chart per slide, from the sidebar selection: to show in meetings, to save under a name, to export.",
    ),
    # Slides
    "slide_trend": ("Activités dans le temps", "Activities over time"),
    "slide_ladder": ("Degrés d'engagement par ville", "Degrees of engagement by city"),
    "slide_map": ("Carte : intensité et profondeur", "Map: intensity and depth"),
    "slide_lens": ("Répartition selon l'échelle choisie", "Distribution on the chosen scale"),
    "slide_depth": ("Indice de profondeur dans le temps", "Depth index over time"),
    "slide_adoption": ("Propositions retenues par degré", "Proposals adopted by degree"),
    "slide_scatter": ("Intensité et profondeur par ville", "Intensity and depth by city"),
    "slide_multiples": ("Villes côte à côte", "Cities side by side"),
    "slide_funnel": ("Des participations aux propositions retenues", "From participations to adopted proposals"),
    "slide_matrix": ("Méthodes et degrés", "Methods and degrees"),
    "page_cities": (
        "Villes {first} à {last} sur {total}, par nombre d'activités décroissant.",
        "Cities {first} to {last} of {total}, by number of activities.",
    ),
    "source": ("Données déclarées par les villes de la mission", "Data reported by the mission cities"),
    "source_open_data": (
        "Chiffres réels publiés par les villes, via Pabulib (pabulib.org ; Faliszewski et al., IJCAI 2023)",
        "Real figures published by the cities, via Pabulib (pabulib.org; Faliszewski et al., IJCAI 2023)",
    ),
    "source_demo": (
        "Données de démonstration (synthétiques, aucune ville réelle)",
        "Demo data (synthetic, no real city)",
    ),
    # Table headers
    "col_period": ("Période", "Period"),
    "col_city": ("Ville", "City"),
    "col_local": ("Nom local", "Local name"),
    "col_level": ("Degré d'engagement", "Degree of engagement"),
    "col_category": ("Catégorie", "Category"),
    "col_method": ("Méthode", "Method"),
    "col_step": ("Étape", "Step"),
    "col_value": ("Valeur", "Value"),
    "col_series": ("Série", "Series"),
    "col_percent": ("Part (%)", "Share (%)"),
    "col_count": ("Nombre", "Count"),
    "col_base": ("Base renseignée", "Reported base"),
    "col_share": ("Part des activités (%)", "Share of activities (%)"),
    "whole": ("Toute la sélection", "Whole selection"),
    # Stage
    "previous": ("Précédente", "Previous"),
    "next": ("Suivante", "Next"),
    "previous_help": ("Diapositive précédente (flèche gauche)", "Previous slide (left arrow)"),
    "next_help": ("Diapositive suivante (flèche droite)", "Next slide (right arrow)"),
    "footer": ("{source} · données du {date} · {n}/{total}", "{source} · data as of {date} · {n}/{total}"),
    "updated": ("mis à jour à {time}", "updated at {time}"),
    "busy": (
        "Base en cours d'écriture : la diapositive sera mise à jour dès la fin du chargement.",
        "Database being written: the slide will update once the load is over.",
    ),
    "no_slides": (
        "Aucune diapositive pour cette sélection : choisissez au moins un graphique ci-dessous.",
        "No slide for this selection: choose at least one chart below.",
    ),
    "exit": ("Quitter la présentation (Échap)", "Leave the presentation (Esc)"),
    "exit_short": ("Quitter", "Exit"),
    # Preparation
    "prepare": ("Préparer la présentation", "Prepare the presentation"),
    "charts": ("Graphiques, dans l'ordre des diapositives", "Charts, in slide order"),
    "charts_help": (
        "« Villes côte à côte » demande de 2 à 12 villes dans le filtre, l'entonnoir et la matrice une seule ville.",
        "“Cities side by side” needs 2 to 12 cities in the filter, the funnel and the matrix exactly one city.",
    ),
    "lens": ("Échelle", "Scale"),
    "auto": ("Défilement automatique", "Auto-advance"),
    "auto_off": ("Non", "Off"),
    "auto_every": ("{s} s", "{s} s"),
    "auto_help": (
        "Passe à la diapositive suivante toutes les N secondes (et revient à la première après la dernière).",
        "Moves to the next slide every N seconds (back to the first after the last).",
    ),
    "start": ("Présenter en plein écran", "Present full screen"),
    "start_help": (
        "Sans barre latérale, un graphique par écran ; flèches gauche et droite pour naviguer, Échap pour revenir.",
        "No sidebar, one chart per screen; left and right arrows to move, Esc to come back.",
    ),
    "slide_link": ("Lien de cette diapositive : {url}", "Link to this slide: {url}"),
    # Decks
    "save_title": ("Enregistrer la présentation", "Save the presentation"),
    "save_sign_in": (
        "Connectez-vous (page « Connexion ») pour enregistrer cette présentation sous un nom et la rouvrir par un lien.",
        "Sign in (the “Sign in” page) to save this presentation under a name and reopen it from a link.",
    ),
    "deck_name": ("Nom", "Name"),
    "deck_name_help": (
        "Le lien reste le même si vous enregistrez à nouveau sous le même nom.",
        "The link stays the same when you save again under the same name.",
    ),
    "save": ("Enregistrer", "Save"),
    "saved": ("Présentation « {name} » enregistrée. Lien :", "Presentation “{name}” saved. Link:"),
    "saved_decks": ("Présentations enregistrées", "Saved presentations"),
    "deck_missing": (
        "Aucune présentation enregistrée ne s'appelle « {slug} » : le lien est peut-être incomplet. Voici la sélection actuelle.",
        "No saved presentation is called “{slug}”: the link may be incomplete. Here is the current selection.",
    ),
    "deck_opened": ("Présentation « {name} »", "Presentation “{name}”"),
    # Exports
    "exports": ("Exporter", "Export"),
    "pptx": ("PowerPoint (.pptx)", "PowerPoint (.pptx)"),
    "html": ("Rapport HTML (hors ligne)", "HTML report (offline)"),
    "city_report": ("Rapport d'une page : {city}", "One-page report: {city}"),
    "city_report_help": (
        "Choisissez une seule ville dans le filtre pour obtenir son rapport d'une page, à imprimer.",
        "Choose a single city in the filter to get its one-page report, to print.",
    ),
    "file_deck": ("presentation", "presentation"),
    "file_report": ("rapport", "report"),
    "deck_subtitle": ("{period} · {scope}", "{period} · {scope}"),
    "all_cities": ("toutes les villes", "all cities"),
    "period": ("du {start} au {end}", "from {start} to {end}"),
    # Chart widget
    "data_and_files": ("Données et téléchargements", "Data and downloads"),
    "png": ("Image PNG", "PNG image"),
    "svg": ("Image SVG", "SVG image"),
    "csv": ("Données CSV", "CSV data"),
    "xlsx": ("Données Excel", "Excel data"),
    "image_help": (
        "Au format de présentation (1280 × 720), en grands caractères.",
        "At presentation size (1280 × 720), in large type.",
    ),
}
