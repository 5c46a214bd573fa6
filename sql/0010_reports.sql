-- What the reporter writes after a `market` run: the territory assignment
-- (the latest run's, one row per golden account) and every report as rows of
-- JSON (also written as CSV / JSON files and one HTML page).

CREATE TABLE territory_assignments (
    golden_id      bigint PRIMARY KEY REFERENCES golden_accounts ON DELETE CASCADE,
    run_id         bigint NOT NULL,
    rep_id         text,             -- NULL: no eligible rep (reason says why)
    previous_owner text,
    moved          boolean NOT NULL,
    reason         text              -- why it moved, or why it is unassigned
);
CREATE INDEX territory_assignments_rep ON territory_assignments (rep_id);

CREATE TABLE reports (
    run_id  bigint NOT NULL,
    name    text NOT NULL,           -- e.g. level1_by_tier, level2_reps, alerts, validation
    columns text[] NOT NULL,
    rows    jsonb NOT NULL,          -- an array of arrays, in column order
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, name)
);
