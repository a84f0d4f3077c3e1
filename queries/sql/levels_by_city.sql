-- Activities and participations per city and engagement level, for a selection.
SELECT
    ville AS city,
    code_ville AS city_code,
    niveau_engagement AS level,
    count(*) AS activities,
    coalesce(sum(nb_participants), 0) AS participations
FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
GROUP BY ALL
ORDER BY city, level
