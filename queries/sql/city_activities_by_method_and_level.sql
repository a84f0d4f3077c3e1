-- One city's activities per method and engagement level, for a selection.
SELECT
    methode AS method,
    niveau_engagement AS level,
    count(*) AS activities
FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
WHERE code_ville = $city
GROUP BY ALL
ORDER BY method, level
