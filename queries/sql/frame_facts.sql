-- What every page's frame needs, in one query (one row): the values a selection may take
-- (the period covered and the values present in the data), whether demo data (or the real
-- open data of data/open) are loaded
-- and when the data last changed, and every reference city (code, local name, French and
-- English names, country, group, membership; in the order of their codes).
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
    -- open data: loads by etl.paths.OPEN_DATA_USER (python -m etl demo --open-data)
    SELECT coalesce(bool_or(is_demo), false) AS has_demo, max(loaded_at) AS last_load,
           coalesce(bool_or(user_name = 'open-data'), false) AS has_open_data
    FROM loads
    WHERE status = 'loaded'
),
reference AS (
    SELECT
        coalesce(list(f.code ORDER BY f.code), []) AS city_codes,
        coalesce(list(f.local_name ORDER BY f.code), []) AS city_local_names,
        coalesce(list(f.name ORDER BY f.code), []) AS city_names_fr,
        coalesce(list(e.name ORDER BY f.code), []) AS city_names_en,
        coalesce(list(f.country ORDER BY f.code), []) AS city_countries,
        coalesce(list(f.country_group ORDER BY f.code), []) AS city_groups,
        coalesce(list(f.member ORDER BY f.code), []) AS city_members
    FROM reference_cities('fr') f
    JOIN reference_cities('en') e USING (code)
)
SELECT * FROM present, status, reference
