-- The records a load contained but did not write because they were unchanged. Without
-- it, rolling back an earlier load would delete a record that a later, still active
-- load also contains. (Inserted and updated records are linked by records.load_id.)
CREATE TABLE IF NOT EXISTS load_keys (
    load_id BIGINT NOT NULL,
    ville VARCHAR NOT NULL,
    record_key VARCHAR NOT NULL
);
