"""Texts of the History page: key -> (French, English)."""

TEXT = {
    "title": ("Historique des chargements", "Load history"),
    "caption_city": (
        "Les chargements qui touchent vos villes ({cities}), du plus récent au plus ancien.",
        "The loads that touch your cities ({cities}), newest first.",
    ),
    "caption_all": ("Tous les chargements, du plus récent au plus ancien.", "Every load, newest first."),
    "empty": (
        "Aucun chargement pour l'instant : déposez un fichier depuis la page « Déposer des données ».",
        "No load yet: upload a file from the “Upload” page.",
    ),
    "load_id": ("N°", "No."),
    "file": ("Fichier", "File"),
    "user": ("Par", "By"),
    "when": ("Le", "On"),
    "status": ("État", "Status"),
    "loaded": ("chargé", "loaded"),
    "rolled_back": ("annulé", "rolled back"),
    "rows_read": ("Lignes lues", "Lines read"),
    "inserted": ("Nouvelles", "New"),
    "updated": ("Modifiées", "Updated"),
    "unchanged": ("Inchangées", "Unchanged"),
    "cities": ("Villes", "Cities"),
    "demo": ("Démo", "Demo"),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    "choose": ("Chargement", "Load"),
    "choice": ("n° {id} · {file} · {when}", "no. {id} · {file} · {when}"),
    "original": ("Télécharger le fichier déposé ({format})", "Download the file uploaded ({format})"),
    "own_rows": ("Télécharger vos lignes (CSV)", "Download your rows (CSV)"),
    "own_rows_note": (
        "Ce chargement concerne aussi d'autres villes : vous recevez une copie de vos seules lignes, "
        "dans les colonnes du modèle, pas le fichier déposé (demandez-le à la coordination).",
        "This load also concerns other cities: you get a copy of your own rows, in the template's "
        "columns, not the file uploaded (ask the coordinators for it).",
    ),
    "corrected": ("Télécharger la copie corrigée chargée ({format})", "Download the corrected copy loaded ({format})"),
    "read_as": ("Lu comme", "Read as"),
    "corrected_col": ("Corrigé ici", "Fixed here"),
    "rollback": ("Annuler ce chargement…", "Roll this load back…"),
    "rolled_back_info": (
        "Ce chargement a été annulé le {when} par {user}.",
        "This load was rolled back on {when} by {user}.",
    ),
    "confirm_title": ("Annuler le chargement n° {id} ?", "Roll back load {id}?"),
    "plan": (
        "Annuler ce chargement {parts}. Le fichier d'origine reste archivé.",
        "Rolling this load back {parts}. The original file stays archived.",
    ),
    "plan_removes": ("retire {n} qu'il a écrites", "removes {n} it wrote"),
    "plan_restores": ("rétablit {n} qu'il avait remplacées", "restores {n} it had replaced"),
    "plan_kept_one": (
        "garde {n} que le chargement n° {ids} contient aussi, inchangées : elles lui reviennent",
        "keeps {n} that load {ids} also holds unchanged: they become its own",
    ),
    "plan_kept_many": (
        "garde {n} que les chargements n° {ids} contiennent aussi, inchangées : elles reviennent au premier d'entre eux",
        "keeps {n} that loads {ids} also hold unchanged: they become the first one's",
    ),
    "n_versions": ("version d'activité|versions d'activités", "activity version|activity versions"),
    "n_earlier": ("version antérieure|versions antérieures", "earlier version|earlier versions"),
    "n_activities": ("activité|activités", "activity|activities"),
    "blocked_one": (
        "Ce chargement ne peut pas être annulé pour l'instant : le chargement n° {later} a modifié depuis les mêmes activités. Annulez d'abord le n° {later}.",
        "This load cannot be rolled back for now: load {later} has changed the same activities since. Roll back load {later} first.",
    ),
    "blocked_many": (
        "Ce chargement ne peut pas être annulé pour l'instant : les chargements n° {later} ont modifié depuis les mêmes activités. Annulez-les d'abord.",
        "This load cannot be rolled back for now: loads {later} have changed the same activities since. Roll them back first.",
    ),
    "confirm": ("Oui, annuler le chargement", "Yes, roll the load back"),
    "cancel": ("Non, garder", "No, keep it"),
    "done": ("Chargement n° {id} annulé.", "Load {id} rolled back."),
}
