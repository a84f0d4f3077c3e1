"""Texts of the platform-export step of the Upload page and of the mapping on the Data
page: key -> (French, English)."""

TEXT = {
    "recognised": ("Export reconnu — {summary}", "Export recognised — {summary}"),
    "refused": (
        "Cet export ne peut pas être chargé : rien n'a été écrit. Le problème, et comment le résoudre :",
        "This export cannot be loaded: nothing was written. The problem, and how to solve it:",
    ),
    "warnings": ("À savoir sur cet export :", "Worth knowing about this export:"),
    "missing": (
        "Il manque des chiffres que le contrat demande : complétez les cellules vides du tableau ci-dessous.",
        "Some figures the contract needs are missing: fill in the empty cells of the table below.",
    ),
    "levels": ("Niveau d'engagement par espace participatif", "Engagement level per participatory space"),
    "levels_help": (
        "Un niveau par défaut est proposé pour chaque type d'activité ; changez-le pour tout un espace ici, ou pour une activité dans le tableau.",
        "A default level is proposed for each kind of activity; change it for a whole space here, or for one activity in the table.",
    ),
    "activities": ("Activités tirées de l'export ({n})", "Activities derived from the export ({n})"),
    "activities_help": (
        "Une ligne par activité, avec sa provenance (fichier, ligne, identifiant). Les cellules modifiables : niveau, dates, titre et chiffres.",
        "One row per activity, with where it comes from (file, line, id). Editable cells: level, dates, title and figures.",
    ),
    "continue": ("Vérifier ces activités", "Check these activities"),
    "space": ("Espace", "Space"),
    "method": ("Type d'activité", "Kind of activity"),
    "level": ("Niveau", "Level"),
    "source": ("Provenance", "Source"),
    "mapping_title": (
        "Exports des plateformes : ce que chaque champ devient",
        "Platform exports: what each field becomes",
    ),
}

# The mapping, written down for the Data page (the README holds the same table).
MAPPING = {
    "fr": """
Les exports des plateformes sont reconnus à leur contenu (pas à leur nom) et deviennent des
lignes du contrat, chacune avec sa provenance ; un problème est signalé à la ligne de l'export.

| plateforme | une activité | correspondance |
|---|---|---|
| **Pabulib** (`.pb`) | un fichier : le budget de la ville ou d'un quartier | `budget_participatif`, niveau `co_decision` ; ville = `unit` (noms et alias de la liste de référence) ; dates = `date_begin`/`date_end` (une année seule = toute l'année) ; participants = votants (lignes de `VOTES`) ; propositions reçues = projets ; retenues = projets `selected` = 1, ou, sans `selected`, les lauréats selon la règle du fichier calculés avec `pabutools` (sinon le chiffre est demandé) ; femmes et moins de 25 ans d'après `sex` et `age` des votants ; format d'après `voting_method` ; titre = `description` |
| **Decidim** (ZIP des données ouvertes ou l'un de ses CSV, 0.27 et 0.30, toutes langues) | une réunion publiée et non retirée | `reunion_publique`, niveau `consultation` ; participants = `attendees` ; propositions reçues = `contributions` ; retenues = propositions liées acceptées ; dates = `start_time`/`end_time` ; format = `type_of_meeting` ; titre en français, sinon la première langue remplie ; lien = `url`. Une réunion jamais clôturée (0 participant) est chargée avec un avertissement |
| | les propositions d'un espace et d'un composant | `consultation_en_ligne`, niveau `consultation` ; reçues = publiées et non retirées ; retenues = `accepted` ; participants = auteurs distincts |
| | les projets d'un budget | `budget_participatif`, niveau `co_decision` ; reçues = projets ; retenues = projets `selected_at` ; votants et dates absents de l'export : à saisir |
| **CONSUL** (CSV des projets d'investissement, en-têtes ES/EN/FR) | les projets d'une rubrique | `budget_participatif`, niveau `co_decision` ; reçues = projets ; retenues = sélectionnés ; votants et date absents : à saisir |

Les niveaux par défaut se changent par espace participatif au dépôt (page Déposer, ou `--level` en ligne de commande). Recharger le même export ne change rien ; un export plus récent du même budget ou espace met à jour ses activités.
""",
    "en": """
Platform exports are recognised from their content (not their name) and become rows of the
contract, each with where it came from; a problem is reported at the export's own line.

| platform | one activity | mapping |
|---|---|---|
| **Pabulib** (`.pb`) | one file: a city-wide or one district's budget | `budget_participatif`, level `co_decision`; city = `unit` (names and aliases of the reference list); dates = `date_begin`/`date_end` (a year alone = that whole year); participants = voters (rows of `VOTES`); proposals received = projects; adopted = projects with `selected` = 1, or, without `selected`, the winners under the file's rule computed with `pabutools` (else the figure is asked for); women and under-25 from the voters' `sex` and `age`; format from `voting_method`; title = `description` |
| **Decidim** (open-data ZIP or any of its CSVs, 0.27 and 0.30, any locale) | a published, not withdrawn meeting | `reunion_publique`, level `consultation`; participants = `attendees`; proposals received = `contributions`; adopted = related proposals accepted; dates = `start_time`/`end_time`; format = `type_of_meeting`; title in French, else the first filled locale; link = `url`. A meeting never closed (0 attendees) is loaded with a warning |
| | the proposals of one space and component | `consultation_en_ligne`, level `consultation`; received = published, not withdrawn; adopted = `accepted`; participants = distinct authors |
| | the projects of one budget | `budget_participatif`, level `co_decision`; received = projects; adopted = projects with `selected_at`; voters and dates are not in the export: to be entered |
| **CONSUL** (budget investments CSV, ES/EN/FR headers) | the investments of one heading | `budget_participatif`, level `co_decision`; received = investments; adopted = selected; voters and date not in the export: to be entered |

Default levels can be changed per participatory space at upload (the Upload page, or `--level` on the command line). Loading the same export again changes nothing; a newer export of the same budget or space updates its activities.
""",
}
