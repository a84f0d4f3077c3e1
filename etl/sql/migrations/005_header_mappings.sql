-- Column headers a city team mapped by hand to a field of the contract on the upload
-- page, remembered for that city's next upload (etl/mappings.py).
CREATE TABLE IF NOT EXISTS header_mappings (
    ville VARCHAR NOT NULL,
    header_key VARCHAR NOT NULL,          -- etl.schema.normalize_key of the header
    field VARCHAR NOT NULL,
    saved_by VARCHAR,
    saved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (ville, header_key)
);
