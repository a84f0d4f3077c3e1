-- Data-quality flags of each city's current records (within the country and city
-- filters; the period and the other filters do not apply): whether it has reported no
-- activity starting in the last 6 months, and the shares of records without proposals
-- received, without demographic data (women, under 25 and newcomers all empty),
-- without the stakeholder breakdown (all five groups empty), and from demo loads.
-- A missing-data share above one half raises its flag.
WITH per_city AS (
    SELECT
        a.code_ville AS city_code,
        count(*) AS records,
        max(a.date_debut) < current_date - INTERVAL 6 MONTH AS inactive,
        avg(CASE WHEN a.nb_propositions_recues IS NULL THEN 1 ELSE 0 END) AS share_no_proposals,
        avg(
            CASE WHEN a.nb_femmes IS NULL AND a.nb_moins_25_ans IS NULL AND a.nb_nouveaux_participants IS NULL
                THEN 1 ELSE 0 END
        ) AS share_no_demographics,
        avg(
            CASE WHEN a.nb_citoyens IS NULL AND a.nb_entreprises IS NULL AND a.nb_recherche IS NULL
                      AND a.nb_associations IS NULL AND a.nb_institutions IS NULL
                THEN 1 ELSE 0 END
        ) AS share_no_stakeholders,
        avg(CASE WHEN l.is_demo THEN 1 ELSE 0 END) AS share_demo
    FROM activities a
    JOIN cities c ON c.code = a.code_ville
    LEFT JOIN loads l ON l.load_id = a.load_id
    WHERE ($countries IS NULL OR list_contains($countries, c.pays))
      AND ($cities IS NULL OR list_contains($cities, a.code_ville))
    GROUP BY a.code_ville
)
SELECT
    *,
    share_no_proposals > 0.5 AS flag_no_proposals,
    share_no_demographics > 0.5 AS flag_no_demographics,
    share_no_stakeholders > 0.5 AS flag_no_stakeholders,
    share_demo > 0 AS flag_demo
FROM per_city
ORDER BY city_code
