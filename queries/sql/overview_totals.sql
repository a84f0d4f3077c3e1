-- Key figures of every current record.
SELECT
    count(*) AS activities,
    coalesce(sum(nb_seances), 0) AS sessions,
    coalesce(sum(nb_participants), 0) AS participations,
    coalesce(sum(nb_propositions_retenues), 0) AS proposals_adopted,
    count(DISTINCT code_ville) AS cities,
    min(date_debut) AS first_date,
    max(date_debut) AS last_date
FROM activities
