-- Proposals received and adopted per engagement level, every level of the scale in
-- rank order (zeros where a level has no activity). `adopted_where_received` counts the
-- proposals adopted by activities that report the proposals received: the numerator of
-- queries/metrics.py's adoption_rate, whose denominator is `proposals_received`.
WITH scale AS (
    SELECT unnest($levels) AS level
),
sel AS (
    SELECT * FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
)
SELECT
    s.level,
    list_position($levels, s.level) AS rank,
    count(a.code_ville) AS activities,
    count(a.nb_propositions_recues) AS activities_reporting_received,
    coalesce(sum(a.nb_propositions_recues), 0) AS proposals_received,
    coalesce(sum(a.nb_propositions_retenues), 0) AS proposals_adopted,
    coalesce(sum(a.nb_propositions_retenues) FILTER (a.nb_propositions_recues IS NOT NULL), 0) AS adopted_where_received
FROM scale s
LEFT JOIN sel a ON a.niveau_engagement = s.level
GROUP BY s.level
ORDER BY rank
