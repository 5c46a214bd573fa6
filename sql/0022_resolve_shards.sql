-- Resolve in shards: what each step of a run's resolve hands the next, keyed
-- by run and shard so a retried job deletes and rewrites its own rows, and
-- removed when the run's resolve ends. Run 0 is the one-process `marketmap
-- merge` (its rows live and die inside its one transaction).

-- Every source record's connected component over the run's edges, its
-- records' shared domains and the stewards' `same` decisions (the smallest
-- record number of the component), and the resolve shard that owns it.
CREATE TABLE resolve_components (
    run_id    bigint NOT NULL,
    source    text NOT NULL,
    source_id text NOT NULL,
    component bigint NOT NULL,
    shard     int NOT NULL,
    PRIMARY KEY (run_id, source, source_id)
);
CREATE INDEX resolve_components_shard ON resolve_components (run_id, shard);

-- The run's candidate edges by the resolve shard of their component.
CREATE TABLE resolve_edges (
    run_id   bigint NOT NULL,
    shard    int NOT NULL,
    a_source text NOT NULL,
    a_id     text NOT NULL,
    b_source text NOT NULL,
    b_id     text NOT NULL,
    score    float8 NOT NULL,
    kind     text NOT NULL,
    reason   text NOT NULL
);
CREATE INDEX resolve_edges_shard ON resolve_edges (run_id, shard);

-- The clusters a resolve shard found: each record with its cluster's anchor
-- (its smallest record key) and how it joined.
CREATE TABLE resolve_clusters (
    run_id           bigint NOT NULL,
    shard            int NOT NULL,
    source           text NOT NULL,
    source_id        text NOT NULL,
    anchor_source    text NOT NULL,
    anchor_source_id text NOT NULL,
    match_method     text NOT NULL,
    match_reason     text NOT NULL,
    PRIMARY KEY (run_id, source, source_id)
);
CREATE INDEX resolve_clusters_shard ON resolve_clusters (run_id, shard);

-- The golden id of each cluster, decided once for the whole run.
CREATE TABLE resolve_golden (
    run_id           bigint NOT NULL,
    shard            int NOT NULL,
    anchor_source    text NOT NULL,
    anchor_source_id text NOT NULL,
    golden_id        bigint,
    votes            bigint NOT NULL,
    PRIMARY KEY (run_id, anchor_source, anchor_source_id)
);
CREATE INDEX resolve_golden_shard ON resolve_golden (run_id, shard);

-- The review candidates a resolve shard found.
CREATE TABLE resolve_review (
    run_id    bigint NOT NULL,
    shard     int NOT NULL,
    kind      text NOT NULL,
    item_key  text NOT NULL,
    a_source  text NOT NULL,
    a_id      text NOT NULL,
    b_source  text,
    b_id      text,
    score     float8,
    evidence  text NOT NULL,
    action    text NOT NULL
);
CREATE INDEX resolve_review_shard ON resolve_review (run_id, shard);
