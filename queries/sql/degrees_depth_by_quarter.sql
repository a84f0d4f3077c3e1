-- What the depth index is computed from, per quarter: participations and
-- Σ participations × level rank (the rank is the level's position in $levels). One row
-- per quarter for the whole selection (city_code NULL) and, when $per_city, one per
-- quarter and city (named in the page's language, $lang). The index itself is
-- queries/metrics.py's depth_index.
WITH per_quarter AS (
    SELECT
        date_trunc('quarter', date_debut) AS period,
        code_ville AS city_code,
        count(*) AS activities,
        coalesce(sum(nb_participants), 0) AS participations,
        coalesce(sum(nb_participants * list_position($levels, niveau_engagement)), 0) AS depth_weighted
    FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
    GROUP BY GROUPING SETS ((period), (period, code_ville))
    HAVING grouping(code_ville) = 1 OR $per_city
)
SELECT q.period, q.city_code, c.name AS city, q.activities, q.participations, q.depth_weighted
FROM per_quarter q
LEFT JOIN reference_cities($lang) c ON c.code = q.city_code
ORDER BY q.city_code NULLS FIRST, q.period
