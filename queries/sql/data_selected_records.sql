-- The records of a selection, for download: the canonical columns of the contract in
-- its order (schema/activites.schema.json), `ville` holding the city's reference name.
SELECT
    id_activite, ville, titre, date_debut, date_fin, methode, niveau_engagement, format, thematique,
    recrutement, nb_seances, nb_participants, nb_propositions_recues, nb_propositions_retenues,
    nb_nouveaux_participants, nb_femmes, nb_moins_25_ans, nb_citoyens, nb_entreprises, nb_recherche,
    nb_associations, nb_institutions, retour_public, nb_propositions_repondues, date_reponse_publique,
    nb_propositions_mises_en_oeuvre, url_reponse, cout_eur, url_source
FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
ORDER BY ville, date_debut, id_activite
