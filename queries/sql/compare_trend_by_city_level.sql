-- Activities and participations per period (month or quarter), city and engagement
-- level, with the city's population: the small multiples of the Compare page (the city
-- named in the page's language, $lang).
WITH per_period AS (
    SELECT
        date_trunc($grain, date_debut) AS period,
        code_ville,
        niveau_engagement AS level,
        count(*) AS activities,
        coalesce(sum(nb_participants), 0) AS participations
    FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
    GROUP BY ALL
)
SELECT
    p.period, p.code_ville AS city_code, c.name AS city, c.local_name AS city_local, c.population, p.level,
    p.activities, p.participations,
    CASE WHEN c.population IS NULL THEN 0 ELSE p.participations END AS participations_with_population
FROM per_period p
JOIN reference_cities($lang) c ON c.code = p.code_ville
ORDER BY period, city, level
