-- Nightly refresh (DOMAIN.md §9): unchanged rows skipped before parsing,
-- rows that left a full export removed (and kept), and tier movers between
-- reported runs.

-- The hash of a record's raw bytes under its file's header, format and the
-- product version: a staged record whose hash equals its stored row's is
-- unchanged and is never parsed again.
ALTER TABLE import_raw_rows ADD COLUMN raw_hash text;
ALTER TABLE source_accounts ADD COLUMN raw_hash text;
ALTER TABLE source_contacts ADD COLUMN raw_hash text;
ALTER TABLE source_opportunities ADD COLUMN raw_hash text;

-- golden_contacts' only indexes on its account are partial (email, linkedin), so
-- the cascade of every deleted golden account scanned the whole table: a
-- refresh that drops 500 accounts spent 88 s of 1M accounts' resolve on it.
CREATE INDEX golden_contacts_account ON golden_contacts (golden_account_id);

-- The run that staged a file (NULL: `marketmap import`, or before this migration).
ALTER TABLE import_files ADD COLUMN run_id bigint;
CREATE INDEX import_files_run ON import_files (run_id);

-- Source records a full export no longer holds: deleted from source_* by the
-- run that staged the export, kept here whole (nothing is lost).
CREATE TABLE removed_records (
    id         bigserial PRIMARY KEY,
    run_id     bigint,
    source     text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('accounts', 'contacts', 'opportunities')),
    source_id  text NOT NULL,
    record     jsonb NOT NULL,
    removed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX removed_records_run ON removed_records (run_id);
CREATE INDEX removed_records_key ON removed_records (source, kind, source_id);

-- What each primary-product score was computed from (ScoreBasis JSON).
ALTER TABLE account_scores ADD COLUMN basis jsonb;

-- The primary product's tiers as of the last reported run: what the next
-- report's tier movers compare against. One row per golden account.
CREATE TABLE tier_baseline (
    golden_id     bigint PRIMARY KEY,
    tier          text,
    fit_score     numeric NOT NULL,
    excluded_by   text,
    failed_gate   text,
    basis         jsonb,
    name          text,
    domain        text,
    anchor_source text,      -- one source record of the account: where it went if the account vanishes
    anchor_id     text
);

-- Which run and product the baseline holds; no row: no baseline yet.
CREATE TABLE tier_baseline_run (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    run_id   bigint NOT NULL,
    product  text NOT NULL,
    config   text NOT NULL,   -- the configuration text the baseline was scored with
    -- How run_id's movers were computed, so reporting run_id again gives the same report.
    compared_with  bigint,
    config_changed boolean NOT NULL DEFAULT false
);

-- When survivorship last ran, and with which source priority and version: a
-- resolve recomputes only golden accounts whose members or member records
-- changed since then (all of them when the priority or the version differs).
CREATE TABLE merge_state (
    only_row        boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    resolved_at     timestamptz NOT NULL,
    source_priority text NOT NULL,
    version         text NOT NULL
);

-- The reporter leases a finished run while it reports it and sets reported_at
-- only when every file is written: a reporter that dies mid-report leaves the
-- run to be reported again once the lease ends.
ALTER TABLE runs ADD COLUMN report_lease_until timestamptz;
