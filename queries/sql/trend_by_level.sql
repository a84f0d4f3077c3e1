-- Activities and participations per period (month or quarter) and engagement level.
-- Grouped by day first: truncating a few thousand days is cheaper than a million dates.
WITH per_day AS (
    SELECT
        date_debut,
        niveau_engagement AS level,
        count(*) AS activities,
        coalesce(sum(nb_participants), 0) AS participations
    FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
    GROUP BY ALL
)
SELECT
    date_trunc($grain, date_debut) AS period,
    level,
    sum(activities)::BIGINT AS activities,
    sum(participations) AS participations
FROM per_day
GROUP BY ALL
ORDER BY period, level
