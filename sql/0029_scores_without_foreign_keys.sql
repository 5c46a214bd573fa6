-- The score stage writes a shard's account_scores, account_valuations and
-- contact_scores rows with COPY for golden accounts and contacts it has just
-- read in the same transaction: a foreign-key check per row (an SPI query
-- and a row lock on the referenced row) bought nothing there and was about a
-- quarter of PostgreSQL's work in the stage (issue 17). The only statements
-- that delete golden accounts and golden contacts (the merge's orphan drops,
-- `MergeQueries.dropOrphans`, `ContactQueries.dropOrphans`) delete these rows
-- with them, in the same statement, as the cascade did.
ALTER TABLE account_scores DROP CONSTRAINT IF EXISTS account_scores_golden_id_fkey;
ALTER TABLE account_valuations DROP CONSTRAINT IF EXISTS account_valuations_golden_id_fkey;
ALTER TABLE contact_scores DROP CONSTRAINT IF EXISTS contact_scores_golden_contact_id_fkey;
