-- The reference cities as every read query shows them (a table macro, installed on each
-- read connection): the name in the page's language ($lang: 'fr' or 'en'; the local name
-- when the city has none in it) beside the local name, the country and its group (EU member
-- state or associated country), whether the city is a member of the mission, and which
-- population the figures per 10,000 inhabitants use (value, year, source, perimeter).
CREATE OR REPLACE TEMP MACRO reference_cities(lang) AS TABLE
    SELECT
        code,
        coalesce(CASE WHEN lang = 'en' THEN nom_en ELSE nom_fr END, nom) AS name,
        nom AS local_name,
        pays AS country,
        groupe AS country_group,
        coalesce(mission, false) AS member,
        population,
        annee_population AS population_year,
        source_population AS population_source,
        CASE WHEN lang = 'en' THEN coalesce(perimeter_en, perimetre) ELSE perimetre END AS perimeter,
        CASE WHEN lang = 'en' THEN coalesce(note_en, remarque) ELSE remarque END AS remark,
        latitude,
        longitude
    FROM cities
