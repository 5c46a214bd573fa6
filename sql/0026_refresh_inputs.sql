-- What a refresh reads to give what a full run on the same exports gives.

-- The exports in effect: per source and kind, the files of the latest run that
-- staged it. The figures and rejected rows of older exports are history, not
-- the market's state (a refresh would otherwise count last night's file too).
-- Files staged by `marketmap import` alone (no run) all count, as before.
CREATE INDEX import_files_source_run ON import_files (source, kind, run_id);
CREATE VIEW current_import_files AS
SELECT f.* FROM import_files f
WHERE f.run_id = (SELECT max(g.run_id) FROM import_files g WHERE g.source = f.source AND g.kind = f.kind)
   OR (f.run_id IS NULL AND NOT EXISTS (
        SELECT 1 FROM import_files g WHERE g.source = f.source AND g.kind = f.kind AND g.run_id IS NOT NULL));

-- What each stage's job consumed the last time it ran (`StageInputs`): the
-- configuration's hash, the normalization version (`ProductVersion`), the
-- as-of day and the shard count. A job whose settings equal its last ones
-- redoes only what its inputs' hashes say changed; any difference redoes all.
CREATE TABLE stage_inputs (
    stage       text NOT NULL,
    shard       int NOT NULL,
    shards      int NOT NULL,
    run_id      bigint NOT NULL,
    config_hash text NOT NULL,
    version     text NOT NULL,
    as_of       date NOT NULL,
    redone      bigint NOT NULL,       -- items the job recomputed (accounts, for score)
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stage, shard)
);

-- Per golden account, the hash of everything the score stage read of it when
-- it last scored it: its facts with enrichment and extra fields, and its
-- contacts (`ScoringQueries.inputHash`).
CREATE TABLE score_inputs (
    golden_id  bigint PRIMARY KEY REFERENCES golden_accounts ON DELETE CASCADE,
    input_hash text NOT NULL
);
