-- What the depth index is computed from, per quarter: participations and
-- Σ participations × level rank (the rank is the level's position in $levels). One row
-- per quarter for the whole selection (city_code NULL) and, when $per_city, one per
-- quarter and city. The index itself is queries/metrics.py's depth_index.
SELECT
    date_trunc('quarter', date_debut) AS period,
    code_ville AS city_code,
    ville AS city,
    count(*) AS activities,
    coalesce(sum(nb_participants), 0) AS participations,
    coalesce(sum(nb_participants * list_position($levels, niveau_engagement)), 0) AS depth_weighted
FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
GROUP BY GROUPING SETS ((period), (period, code_ville, ville))
HAVING grouping(code_ville) = 1 OR $per_city
ORDER BY city_code NULLS FIRST, period
