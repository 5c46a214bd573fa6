-- The ingest fast path: `marketmap import` COPYs each CSV record as read into
-- import_raw_rows (no field splitting, no normalization), and normalize jobs
-- on the workers parse, map and upsert line ranges of it into source_* tables,
-- deleting what they processed. Unlogged: it is a work area; a file whose
-- staged rows a crash lost is imported again.
ALTER TABLE import_files
    ADD COLUMN header    text[],
    ADD COLUMN delimiter text NOT NULL DEFAULT ',',
    ADD COLUMN status    text NOT NULL DEFAULT 'done' CHECK (status IN ('staged', 'done')),
    ADD COLUMN last_line int NOT NULL DEFAULT 0;
CREATE INDEX import_files_staged ON import_files (id) WHERE status = 'staged';

CREATE UNLOGGED TABLE import_raw_rows (
    file_id   bigint NOT NULL,
    line      int NOT NULL,
    record_id text,              -- the record id cell, trimmed (duplicate ids are rejected at load)
    record    text NOT NULL      -- the CSV record as read, without its line end
) WITH (autovacuum_vacuum_scale_factor = 0.05);
-- Rows arrive in line order, so a block range index finds a job's lines cheaply
-- and costs next to nothing during COPY.
CREATE INDEX import_raw_rows_lines ON import_raw_rows USING brin (file_id, line) WITH (pages_per_range = 16);
