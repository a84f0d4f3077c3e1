-- The current records of a selection: every read query selects from this table macro,
-- so the filters are written once. A NULL list means "no filter on this field".
-- City facts (population, coordinates) are joined by the queries that need them, after
-- they have grouped the records: joining a million rows to the cities costs a fifth more.
CREATE OR REPLACE TEMP MACRO selected_activities(start_date, end_date, countries, cities, methods, themes, formats) AS TABLE
    SELECT *
    FROM activities a
    WHERE a.date_debut BETWEEN start_date AND end_date
      AND (countries IS NULL OR list_contains(countries, a.pays))
      AND (cities IS NULL OR list_contains(cities, a.code_ville))
      AND (methods IS NULL OR list_contains(methods, a.methode))
      AND (themes IS NULL OR list_contains(themes, a.thematique))
      AND (formats IS NULL OR list_contains(formats, a.format))
