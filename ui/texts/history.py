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
    "choose": ("Chargement", "Load"),
    "choice": ("n° {id} · {file} · {when}", "no. {id} · {file} · {when}"),
    "original": ("Télécharger le fichier d'origine", "Download the original file"),
    "rollback": ("Annuler ce chargement…", "Roll this load back…"),
    "rolled_back_info": (
        "Ce chargement a été annulé le {when} par {user}.",
        "This load was rolled back on {when} by {user}.",
    ),
    "confirm_title": ("Annuler le chargement n° {id} ?", "Roll back load {id}?"),
    "plan": (
        "{removes} version(s) d'activités écrites par ce chargement seront retirées, et {restores} version(s) antérieure(s) qu'il avait remplacées redeviendront actuelles. Le fichier d'origine reste archivé.",
        "{removes} activity version(s) written by this load will be removed, and {restores} earlier version(s) it had replaced become current again. The original file stays archived.",
    ),
    "confirm": ("Oui, annuler le chargement", "Yes, roll the load back"),
    "cancel": ("Non, garder", "No, keep it"),
    "done": ("Chargement n° {id} annulé.", "Load {id} rolled back."),
}
