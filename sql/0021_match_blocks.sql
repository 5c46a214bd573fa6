-- Shard-local match (issue 17): the block keys of every source account,
-- stored at normalize by `MatchBlocks.stored` (MarketMapCore), so that a
-- `merge.match` job reads only the records of the blocks its shard owns.
--   match_country       the country matching uses (the record's, or its domain's country suffix)
--   match_buckets       buckets (0..4095) of the domain, name and alternate-domain blocks it is in
--   match_blank_bucket  the bucket of its own blank-country weighing (no country only)
--   match_pull          32-bit hashes of its blank-country block keys
--   match_version       `MatchBlocks.version` of these keys; the match stage recomputes other versions
-- Existing records have none: the first match stage after the upgrade computes them.
ALTER TABLE source_accounts
    ADD COLUMN match_country text,
    ADD COLUMN match_buckets smallint[],
    ADD COLUMN match_blank_bucket smallint,
    ADD COLUMN match_pull integer[],
    ADD COLUMN match_version text;
CREATE INDEX source_accounts_match_buckets ON source_accounts USING gin (match_buckets);
CREATE INDEX source_accounts_match_pull ON source_accounts USING gin (match_pull);
CREATE INDEX source_accounts_match_blank ON source_accounts (match_blank_bucket) WHERE match_blank_bucket IS NOT NULL;

-- What a match run weighs every shard's pairs by, counted once per run in SQL
-- when the match stage is planned: the names with a name (match_runs), the
-- names each word is in (match_terms), and the (country, name) pairs more than
-- three records carry (match_common_names).
CREATE TABLE match_runs (
    run_id bigint PRIMARY KEY REFERENCES runs ON DELETE CASCADE,
    names  bigint NOT NULL
);
CREATE TABLE match_terms (
    run_id bigint NOT NULL REFERENCES match_runs ON DELETE CASCADE,
    word   text NOT NULL,
    names  bigint NOT NULL,
    PRIMARY KEY (run_id, word)
);
CREATE TABLE match_common_names (
    run_id  bigint NOT NULL REFERENCES match_runs ON DELETE CASCADE,
    country text NOT NULL,
    name    text NOT NULL,
    records bigint NOT NULL,
    PRIMARY KEY (run_id, country, name)
);
