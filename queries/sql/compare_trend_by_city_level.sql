-- Activities and participations per period (month or quarter), city and engagement
-- level, with the city's population: the small multiples of the Compare page.
SELECT
    date_trunc($grain, date_debut) AS period,
    code_ville AS city_code,
    ville AS city,
    population,
    niveau_engagement AS level,
    count(*) AS activities,
    coalesce(sum(nb_participants), 0) AS participations
FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
GROUP BY ALL
ORDER BY period, city, level
