-- The current records of a selection: every read query selects from this table macro,
-- so the filters are written once. A NULL list means "no filter on this field".
CREATE OR REPLACE TEMP MACRO selected_activities(start_date, end_date, countries, cities, methods, themes, formats) AS TABLE
    SELECT a.*, c.population, c.latitude, c.longitude
    FROM activities a
    JOIN cities c ON c.code = a.code_ville
    WHERE a.date_debut BETWEEN start_date AND end_date
      AND (countries IS NULL OR list_contains(countries, a.pays))
      AND (cities IS NULL OR list_contains(cities, a.code_ville))
      AND (methods IS NULL OR list_contains(methods, a.methode))
      AND (themes IS NULL OR list_contains(themes, a.thematique))
      AND (formats IS NULL OR list_contains(formats, a.format))
