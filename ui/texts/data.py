"""Texts of the Data page: key -> (French, English)."""

TEXT = {
    "title": ("Données", "Data"),
    "caption": (
        "Ce que contiennent les fichiers des villes, comment les indicateurs sont calculés, la fraîcheur des données de chaque ville, et les activités de la sélection à télécharger.",
        "What the cities' files contain, how the metrics are computed, how fresh each city's data is, and the records of the selection to download.",
    ),
    "tab_dictionary": ("Dictionnaire des données", "Data dictionary"),
    "tab_metrics": ("Indicateurs", "Metrics"),
    "tab_quality": ("Fraîcheur et qualité", "Freshness and quality"),
    "tab_downloads": ("Téléchargements", "Downloads"),
    "accepted_values": ("Valeurs admises et contraintes", "Accepted values and constraints"),
    "dictionary_intro": (
        "Une ligne par colonne du contrat de données (schema/activites.schema.json, format Table Schema). Les en-têtes d'un fichier peuvent être le nom canonique, le nom anglais, le titre français ou anglais ou l'un des autres en-têtes reconnus (majuscules, accents et ponctuation indifférents) ; les valeurs codées, le code ou son libellé.",
        "One row per column of the data contract (schema/activites.schema.json, Table Schema format). A file's headers may be the canonical name, the English name, the French or English title or one of the other headers recognised (case, accents and punctuation ignored); coded values, the code or its label.",
    ),
    "schema_file": ("Contrat de données (JSON)", "Data contract (JSON)"),
    "template_csv": ("Modèle CSV", "CSV template"),
    "template_xlsx": ("Modèle XLSX (listes déroulantes)", "XLSX template (drop-down lists)"),
    "template_name": ("modele_activites", "activities_template"),
    "metrics_intro": (
        "Chaque chiffre du tableau de bord est calculé de la même façon partout. Attention : les participations ne sont pas des personnes uniques — une personne venue à trois séances compte trois fois.",
        "Every figure of the dashboard is computed the same way everywhere. Note: participations are not unique people — one person attending three sessions counts three times.",
    ),
    "quality_intro": (
        "Pour chaque ville qui a des activités (selon les filtres de pays et de villes ; la période et les autres filtres ne s'appliquent pas) : son dernier chargement actif, le nombre de ses chargements, de ses activités, et la date de début de sa dernière activité.",
        "For every city with records (within the country and city filters; the period and the other filters do not apply): its latest active load, its number of loads and of records, and the start date of its latest activity.",
    ),
    "legend": ("Légende des signalements", "Legend of the flags"),
    "records_count": (
        "{count}, du {start} au {end} (filtres de la barre latérale).",
        "{count}, from {start} to {end} (the sidebar filters).",
    ),
    "records_help": (
        "Les colonnes canoniques du contrat. CSV et XLSX : les textes qui commencent par = + - @ sont précédés d'une apostrophe pour qu'un tableur ne les exécute pas.",
        "The canonical columns of the contract. CSV and XLSX: texts starting with = + - @ get a leading apostrophe so that a spreadsheet does not run them.",
    ),
    "n_records": ("activité sélectionnée|activités sélectionnées", "record selected|records selected"),
    "download_csv": ("CSV (Excel français)", "CSV (French Excel)"),
    "download_xlsx": ("XLSX", "XLSX"),
    "download_parquet": ("Parquet", "Parquet"),
    "records_name": ("activites_{start}_{end}", "activities_{start}_{end}"),
}
