-- marketmap schema, migration 1: the settings every later migration relies on.
-- A key/value table for facts about this database (schema generation, who
-- created it), so operators can see what a database holds.
CREATE TABLE marketmap_meta (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO marketmap_meta (key, value) VALUES ('created_by', 'marketmap db migrate');
