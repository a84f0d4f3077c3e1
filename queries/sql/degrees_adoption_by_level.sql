-- Proposals received and adopted per engagement level, every level of the scale in
-- rank order (zeros where a level has no activity). `adopted_where_received` counts the
-- proposals adopted by activities that report the proposals received: the numerator of
-- queries/metrics.py's adoption_rate, whose denominator is `proposals_received`.
WITH scale AS (
    SELECT unnest($levels) AS level
),
per_level AS (
    SELECT
        niveau_engagement AS level,
        count(*) AS activities,
        count(nb_propositions_recues) AS activities_reporting_received,
        sum(nb_propositions_recues) AS proposals_received,
        sum(nb_propositions_retenues) AS proposals_adopted,
        sum(nb_propositions_retenues) FILTER (nb_propositions_recues IS NOT NULL) AS adopted_where_received
    FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
    GROUP BY niveau_engagement
)
SELECT
    s.level,
    list_position($levels, s.level) AS rank,
    coalesce(p.activities, 0) AS activities,
    coalesce(p.activities_reporting_received, 0) AS activities_reporting_received,
    coalesce(p.proposals_received, 0) AS proposals_received,
    coalesce(p.proposals_adopted, 0) AS proposals_adopted,
    coalesce(p.adopted_where_received, 0) AS adopted_where_received
FROM scale s
LEFT JOIN per_level p ON p.level = s.level
ORDER BY rank
