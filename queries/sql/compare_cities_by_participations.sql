-- The cities a comparison may choose from, in the order the default is taken: every city
-- with records in the country filter, with its participations over the selection's
-- period, methods, themes and formats; the cities of the sidebar city filter first,
-- then the most participations (the city filter only orders: the Compare page may
-- look beyond it). `activities` lets the page tell an empty selection without another query.
WITH participations AS (
    SELECT code_ville, count(*) AS activities, coalesce(sum(nb_participants), 0) AS participations
    FROM selected_activities($start, $end, $countries, NULL, $methods, $themes, $formats)
    GROUP BY code_ville
)
SELECT
    c.code AS city_code,
    c.name AS city,
    c.local_name AS city_local,
    coalesce(p.participations, 0) AS participations,
    coalesce(p.activities, 0) AS activities,
    ($cities IS NULL OR list_contains($cities, c.code)) AS in_city_filter
FROM reference_cities($lang) c
LEFT JOIN participations p ON p.code_ville = c.code
WHERE c.code IN (SELECT DISTINCT code_ville FROM activities)
  AND ($countries IS NULL OR list_contains($countries, c.country))
ORDER BY in_city_filter DESC, participations DESC, city
