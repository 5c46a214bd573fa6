-- The job queue: PostgreSQL is the message bus between coordinator, workers
-- and reporter (see README "Architecture").

-- A run is an ordered list of stages; each stage is a set of shard jobs.
CREATE TABLE runs (
    id          bigserial PRIMARY KEY,
    pipeline    text NOT NULL,
    params      jsonb NOT NULL DEFAULT '{}',
    state       text NOT NULL DEFAULT 'running'
                CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
    error       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    reported_at timestamptz
);
CREATE INDEX runs_active ON runs (id) WHERE state = 'running';
CREATE INDEX runs_unreported ON runs (id) WHERE state IN ('done', 'failed') AND reported_at IS NULL;

CREATE TABLE run_stages (
    run_id      bigint NOT NULL REFERENCES runs ON DELETE CASCADE,
    position    int NOT NULL,
    stage       text NOT NULL,
    state       text NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'running', 'done', 'failed')),
    jobs_total  int NOT NULL DEFAULT 0,
    jobs_done   int NOT NULL DEFAULT 0,
    started_at  timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (run_id, position),
    UNIQUE (run_id, stage)
);

-- Jobs are shards (thousands of rows each), not rows. A job is deleted in the
-- transaction that commits its results (exactly-once), so the table holds only
-- unfinished work and stays small. A stage is enqueued once, in the same
-- transaction that marks it started, so a finished job is never re-created.
CREATE TABLE jobs (
    id               bigserial PRIMARY KEY,
    kind             text NOT NULL,
    run_id           bigint NOT NULL REFERENCES runs ON DELETE CASCADE,
    stage            text NOT NULL,
    shard            int NOT NULL,
    payload          jsonb NOT NULL DEFAULT '{}',
    state            text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running')),
    priority         int NOT NULL DEFAULT 0,
    attempts         int NOT NULL DEFAULT 0,
    max_attempts     int NOT NULL DEFAULT 5,
    run_after        timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    claim_id         uuid,
    last_error       text,
    history          jsonb NOT NULL DEFAULT '[]',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, stage, shard)
) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02,
        autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);

CREATE INDEX jobs_claimable ON jobs (priority DESC, id) WHERE state = 'queued';
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'running';

-- Jobs that used up their attempts, with the error history: visible and
-- retryable from `marketmap queue dead|retry`.
CREATE TABLE dead_letters (
    id           bigint PRIMARY KEY,
    kind         text NOT NULL,
    run_id       bigint NOT NULL REFERENCES runs ON DELETE CASCADE,
    stage        text NOT NULL,
    shard        int NOT NULL,
    payload      jsonb NOT NULL,
    priority     int NOT NULL,
    attempts     int NOT NULL,
    max_attempts int NOT NULL,
    last_error   text,
    history      jsonb NOT NULL,
    created_at   timestamptz NOT NULL,
    died_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letters_run ON dead_letters (run_id);

-- Optional per-kind limit on jobs running at once (e.g. a rate-limited provider).
CREATE TABLE job_kind_limits (
    kind        text PRIMARY KEY,
    max_running int NOT NULL CHECK (max_running > 0)
);

-- Test-only effects table for the queue's own tests and benchmarks: a job of a
-- test kind inserts one row keyed by its identity. Deliberately without a
-- unique key, so that a job whose effect ran twice shows up as a duplicate.
CREATE TABLE queue_test_effects (
    run_id      bigint NOT NULL,
    stage       text NOT NULL,
    shard       int NOT NULL,
    worker      text NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX queue_test_effects_key ON queue_test_effects (run_id, stage, shard);
