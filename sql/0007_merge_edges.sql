-- Candidate matches found by the sharded `match` stage of a merge run; the
-- `resolve` stage clusters them. Kept per run and shard so that a re-run job
-- replaces its own edges.
CREATE TABLE merge_edges (
    run_id   bigint NOT NULL REFERENCES runs ON DELETE CASCADE,
    shard    int NOT NULL,
    a_source text NOT NULL,
    a_id     text NOT NULL,
    b_source text NOT NULL,
    b_id     text NOT NULL,
    score    float8 NOT NULL,
    kind     text NOT NULL CHECK (kind IN ('domain', 'name'))
);
CREATE INDEX merge_edges_run ON merge_edges (run_id, shard);
