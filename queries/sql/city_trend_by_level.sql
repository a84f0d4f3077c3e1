-- One city's activities and participations per month and engagement level, for a selection.
SELECT
    date_trunc('month', date_debut) AS period,
    niveau_engagement AS level,
    count(*) AS activities,
    coalesce(sum(nb_participants), 0) AS participations
FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
WHERE code_ville = $city
GROUP BY ALL
ORDER BY period, level
