-- Activities and participations per period (month or quarter) and engagement level.
SELECT
    date_trunc($grain, date_debut) AS period,
    niveau_engagement AS level,
    count(*) AS activities,
    coalesce(sum(nb_participants), 0) AS participations
FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
GROUP BY ALL
ORDER BY period, level
