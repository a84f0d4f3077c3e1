-- What a selection may contain: the period covered and the values present in the data.
SELECT
    coalesce(min(date_debut), current_date) AS first,
    coalesce(max(date_debut), current_date) AS last,
    coalesce(list(DISTINCT pays ORDER BY pays), []) AS countries,
    coalesce(list(DISTINCT code_ville ORDER BY code_ville), []) AS cities,
    coalesce(list(DISTINCT methode ORDER BY methode) FILTER (methode IS NOT NULL), []) AS methods,
    coalesce(list(DISTINCT thematique ORDER BY thematique) FILTER (thematique IS NOT NULL), []) AS themes,
    coalesce(list(DISTINCT format ORDER BY format) FILTER (format IS NOT NULL), []) AS formats
FROM activities
