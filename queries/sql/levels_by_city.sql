-- Activities and participations per city and engagement level, for a selection; the city
-- named in the page's language ($lang), its local name beside it.
WITH per_level AS (
    SELECT
        code_ville,
        niveau_engagement AS level,
        count(*) AS activities,
        coalesce(sum(nb_participants), 0) AS participations
    FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
    GROUP BY ALL
)
SELECT c.name AS city, c.local_name AS city_local, p.code_ville AS city_code, p.level, p.activities, p.participations
FROM per_level p
JOIN reference_cities($lang) c ON c.code = p.code_ville
ORDER BY city, level
