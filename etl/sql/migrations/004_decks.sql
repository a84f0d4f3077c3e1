-- Saved presentations (service/decks.py). A deck is a named view: the selection, the lens,
-- the charts in slide order and the language, as JSON. Its slug is its stable link
-- (/presenter?deck=<slug>): saving again under the same name keeps the slug.

CREATE TABLE IF NOT EXISTS decks (
    slug VARCHAR PRIMARY KEY CHECK (regexp_full_match(slug, '[a-z0-9]+(-[a-z0-9]+)*') AND length(slug) <= 60),
    name VARCHAR NOT NULL CHECK (length(trim(name)) > 0),
    spec VARCHAR NOT NULL,                -- JSON text (no extension needed)
    created_by VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_by VARCHAR,
    updated_at TIMESTAMP NOT NULL
);
