-- The follow-up of citizens' proposals (issue 17).
--
-- 1. The contract gains four optional fields: nb_propositions_repondues,
--    date_reponse_publique, nb_propositions_mises_en_oeuvre and url_reponse. The `records`
--    table follows the schema (etl/db.py); the Python step of this migration
--    (etl/db.py, add_follow_up_fields) adds the columns in this transaction and computes
--    each record's change hash again over the longer list of fields, so that loading an
--    unchanged row after the upgrade still counts as "unchanged", not as a new version.
--
-- 2. The population structure of each city, for representativeness: the share of women
--    and of under-25s among the inhabitants, with the year and the source of the figures.
--    Loaded by a coordinator (`python -m etl cities structure FILE`); one row per city,
--    replaced by a later load. `is_demo` marks the sample of the demo cities.
CREATE TABLE IF NOT EXISTS city_structure (
    code VARCHAR PRIMARY KEY,
    part_femmes DOUBLE,          -- 0-1
    part_moins_25_ans DOUBLE,    -- 0-1
    annee INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    loaded_by VARCHAR,
    loaded_at TIMESTAMP NOT NULL
);
