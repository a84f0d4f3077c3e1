-- How fresh each city's data is: for every city with current records (within the
-- country and city filters; the period and the other filters do not apply), the time of
-- its latest active load, its number of active loads, its number of current records
-- and the start date of its latest activity. A load counts for a city when the city is
-- in the load's `cities` list; rolled-back loads do not count.
WITH scope AS (
    SELECT code, name, country
    FROM reference_cities($lang)
    WHERE ($countries IS NULL OR list_contains($countries, country))
      AND ($cities IS NULL OR list_contains($cities, code))
),
records AS (
    SELECT code_ville, count(*) AS records, max(date_debut) AS latest_activity
    FROM activities
    GROUP BY code_ville
),
city_loads AS (
    SELECT city, count(*) AS loads, max(loaded_at) AS last_load
    FROM (SELECT unnest(list_distinct(cities)) AS city, loaded_at FROM loads WHERE status = 'loaded')
    GROUP BY city
)
SELECT
    s.code AS city_code,
    s.name AS city,
    s.country,
    l.last_load,
    coalesce(l.loads, 0) AS loads,
    r.records,
    r.latest_activity
FROM scope s
JOIN records r ON r.code_ville = s.code
LEFT JOIN city_loads l ON l.city = s.code
ORDER BY s.name
