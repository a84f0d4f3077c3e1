-- The reference list becomes the 112 cities of the EU Mission (data/cities.csv): each city
-- gets its names in French and English, its group (EU member state or associated country),
-- whether it is a member, the perimeter of its member body in English, where its
-- coordinates and its membership come from, and a remark (why a population is missing, what
-- the member body is). The values are then taken from data/cities.csv by a Python step run
-- in this migration's transaction (etl/reference.py, adopt_mission_list): new members added,
-- populations updated, the previous list's non-members kept, outside the mission, only when
-- they hold data.
ALTER TABLE cities ADD COLUMN nom_fr VARCHAR;
ALTER TABLE cities ADD COLUMN nom_en VARCHAR;
ALTER TABLE cities ADD COLUMN groupe VARCHAR;                 -- 'EU' | 'associated'
ALTER TABLE cities ADD COLUMN mission BOOLEAN DEFAULT false;  -- a member of the mission
ALTER TABLE cities ADD COLUMN perimeter_en VARCHAR;
ALTER TABLE cities ADD COLUMN source_coordonnees VARCHAR;
ALTER TABLE cities ADD COLUMN source_adhesion VARCHAR;        -- where membership is stated
ALTER TABLE cities ADD COLUMN remarque VARCHAR;
ALTER TABLE cities ADD COLUMN note_en VARCHAR;
