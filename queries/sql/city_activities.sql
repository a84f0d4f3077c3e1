-- One city's activities in a selection, newest first, whose title contains $search
-- (case-insensitive, taken literally: % and _ are not wildcards; '' keeps every row).
SELECT
    titre,
    date_debut,
    methode,
    niveau_engagement,
    thematique,
    format,
    recrutement,
    nb_seances,
    nb_participants,
    nb_propositions_recues,
    nb_propositions_retenues,
    retour_public,
    id_activite
FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
WHERE code_ville = $city
  AND contains(lower(titre), lower(coalesce($search, '')))
ORDER BY date_debut DESC, titre
