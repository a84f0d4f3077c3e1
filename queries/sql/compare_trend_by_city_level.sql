-- Activities and participations per period (month or quarter), city and engagement
-- level, with the city's population: the small multiples of the Compare page.
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
SELECT p.period, p.code_ville AS city_code, c.nom AS city, c.population, p.level, p.activities, p.participations
FROM per_period p
JOIN cities c ON c.code = p.code_ville
ORDER BY period, city, level
