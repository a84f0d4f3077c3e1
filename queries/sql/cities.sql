-- The reference cities, with whether they have records.
SELECT
    c.code,
    c.nom AS name,
    c.pays AS country,
    c.population,
    c.annee_population AS population_year,
    c.latitude,
    c.longitude,
    c.code IN (SELECT DISTINCT code_ville FROM activities) AS has_records
FROM cities c
ORDER BY c.nom
