-- Base aggregates per city for a selection: the sums and counts from which every
-- metric of queries/metrics.py is computed. Every city in scope gets a row, with
-- zeros when it has no activity in the selection (its population still counts).
-- Scope: cities that have records, limited by the country and city filters.
WITH sel AS (
    SELECT * FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
),
scope AS (
    SELECT code, nom, pays, population, latitude, longitude
    FROM cities
    WHERE code IN (SELECT DISTINCT code_ville FROM activities)
      AND ($countries IS NULL OR list_contains($countries, pays))
      AND ($cities IS NULL OR list_contains($cities, code))
)
SELECT
    s.code AS city_code,
    s.nom AS city,
    s.pays AS country,
    s.population,
    s.latitude,
    s.longitude,
    count(a.code_ville) AS activities,
    coalesce(sum(a.nb_seances), 0) AS sessions,
    coalesce(sum(a.nb_participants), 0) AS participations,
    coalesce(sum(a.nb_propositions_recues), 0) AS proposals_received,
    coalesce(sum(a.nb_propositions_retenues), 0) AS proposals_adopted,
    coalesce(sum(a.nb_propositions_retenues) FILTER (a.nb_propositions_recues IS NOT NULL), 0) AS adopted_where_received,
    count(a.code_ville) FILTER (list_contains($co_creation, a.niveau_engagement)) AS cocreation_activities,
    coalesce(sum(a.nb_participants) FILTER (list_contains($co_creation, a.niveau_engagement)), 0) AS cocreation_participations,
    coalesce(sum(a.nb_participants * list_position($levels, a.niveau_engagement)), 0) AS depth_weighted,
    coalesce(sum(a.nb_nouveaux_participants), 0) AS newcomers,
    coalesce(sum(a.nb_participants) FILTER (a.nb_nouveaux_participants IS NOT NULL), 0) AS newcomers_base,
    coalesce(sum(a.nb_femmes), 0) AS women,
    coalesce(sum(a.nb_participants) FILTER (a.nb_femmes IS NOT NULL), 0) AS women_base,
    coalesce(sum(a.nb_moins_25_ans), 0) AS under_25,
    coalesce(sum(a.nb_participants) FILTER (a.nb_moins_25_ans IS NOT NULL), 0) AS under_25_base,
    coalesce(sum(a.nb_citoyens), 0) AS citizens,
    coalesce(sum(a.nb_entreprises), 0) AS businesses,
    coalesce(sum(a.nb_recherche), 0) AS research,
    coalesce(sum(a.nb_associations), 0) AS associations,
    coalesce(sum(a.nb_institutions), 0) AS public_bodies,
    count(a.code_ville) FILTER (a.retour_public) AS public_responses,
    count(a.retour_public) AS public_response_base
FROM scope s
LEFT JOIN sel a ON a.code_ville = s.code
GROUP BY ALL
ORDER BY s.nom
