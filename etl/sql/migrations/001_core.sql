-- The bookkeeping tables. The `records` table itself is generated from the schema
-- (etl/db.py), so that a new field of the contract becomes a new column.

CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS event_id_seq START 1;

CREATE TABLE IF NOT EXISTS cities (
    code VARCHAR PRIMARY KEY,
    nom VARCHAR NOT NULL,
    pays VARCHAR NOT NULL,
    population BIGINT,
    annee_population INTEGER,
    source_population VARCHAR,
    perimetre VARCHAR,
    latitude DOUBLE,
    longitude DOUBLE,
    alias VARCHAR[] NOT NULL DEFAULT [],
    added_by VARCHAR,
    added_at TIMESTAMP DEFAULT current_timestamp
);

-- One row per load that wrote something (rejected files write nothing). The original
-- file is archived outside the database, named by its sha256 (etl/archive.py).
CREATE TABLE IF NOT EXISTS loads (
    load_id BIGINT PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    file_format VARCHAR,
    encoding VARCHAR,
    rows_read BIGINT NOT NULL,
    inserted BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    cities VARCHAR[] NOT NULL,
    user_name VARCHAR,
    loaded_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,              -- 'loaded' | 'rolled_back'
    rolled_back_at TIMESTAMP,
    rolled_back_by VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);

-- Append-only log of what changed the data: its max id is the data version that
-- read-side caches are keyed on.
CREATE TABLE IF NOT EXISTS data_events (
    event_id BIGINT NOT NULL,
    load_id BIGINT,
    kind VARCHAR NOT NULL,                -- 'load' | 'rollback' | 'city'
    happened_at TIMESTAMP NOT NULL
);
