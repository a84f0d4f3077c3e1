-- The reference cities in the page's language ($lang), with whether they have records, their
-- membership, and the population that figures per 10,000 inhabitants use (value, year,
-- source, perimeter) or, when there is none, the remark saying why.
SELECT
    c.code,
    c.name,
    c.local_name,
    c.country,
    c.country_group,
    c.member,
    c.population,
    c.population_year,
    c.population_source,
    c.perimeter,
    c.remark,
    c.latitude,
    c.longitude,
    c.code IN (SELECT DISTINCT code_ville FROM activities) AS has_records
FROM reference_cities($lang) c
ORDER BY c.name
