-- What every page's frame needs, in one query (one row): the values a selection may take
-- (the period covered and the values present in the data), whether demo data are loaded
-- and when the data last changed, and every reference city (codes and names, by name).
WITH present AS (
    SELECT
        coalesce(min(date_debut), current_date) AS first,
        coalesce(max(date_debut), current_date) AS last,
        coalesce(list(DISTINCT pays ORDER BY pays), []) AS countries,
        coalesce(list(DISTINCT code_ville ORDER BY code_ville), []) AS cities,
        coalesce(list(DISTINCT methode ORDER BY methode) FILTER (methode IS NOT NULL), []) AS methods,
        coalesce(list(DISTINCT thematique ORDER BY thematique) FILTER (thematique IS NOT NULL), []) AS themes,
        coalesce(list(DISTINCT format ORDER BY format) FILTER (format IS NOT NULL), []) AS formats
    FROM activities
),
status AS (
    SELECT coalesce(bool_or(is_demo), false) AS has_demo, max(loaded_at) AS last_load
    FROM loads
    WHERE status = 'loaded'
),
reference AS (
    SELECT
        coalesce(list(code ORDER BY nom, code), []) AS city_codes,
        coalesce(list(nom ORDER BY nom, code), []) AS city_names
    FROM cities
)
SELECT * FROM present, status, reference
