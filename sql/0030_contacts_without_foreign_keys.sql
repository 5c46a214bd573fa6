-- The contact waterfall's `contacts` jobs insert a shard's new golden contacts
-- and its contact lineage for rows they have just read in the same
-- transaction: a foreign-key check per row (an SPI query and a row lock on the
-- referenced row) bought nothing there and was two thirds of the lineage
-- insert's time (EXPLAIN ANALYZE at 200k accounts: 2.4 s of triggers for
-- 8,861 rows, issue 17). As with the scores (sql/0029), the statements that
-- delete the referenced rows delete these with them, in the same statement:
-- the merge's orphan drop (`MergeQueries.dropOrphans`: an orphan golden
-- account's golden contacts and their lineage) and the import's removal of
-- records no export holds any more (`ImportQueries.removeAbsent`: a removed
-- source contact's lineage). The golden contacts' other dependants keep their
-- foreign keys (people_found, contact_provenance).
ALTER TABLE golden_contacts DROP CONSTRAINT IF EXISTS golden_contacts_golden_account_id_fkey;
ALTER TABLE contact_lineage DROP CONSTRAINT IF EXISTS contact_lineage_golden_contact_id_fkey;
ALTER TABLE contact_lineage DROP CONSTRAINT IF EXISTS contact_lineage_source_source_id_fkey;
