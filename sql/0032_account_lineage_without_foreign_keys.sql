-- A survive job inserts its shard's account lineage for records and golden
-- accounts it has just read or written in the same run: the two foreign-key
-- checks per row (an SPI query and a KEY SHARE lock on the referenced row, so a
-- write to `source_accounts`' pages) bought nothing there (EXPLAIN ANALYZE at
-- 200k accounts, 6,400 rows of a shard re-inserted in a rolled-back
-- transaction: insert 0.29 s, triggers 0.36 s for `golden_accounts` and 1.12 s
-- for `source_accounts`; in a whole 200k run survive's work went from 22.1 to
-- 20.3 s; issue 17). As with contact lineage (sql/0030), the
-- statements that delete the referenced rows delete the lineage with them: the
-- import's removal of records no export holds any more
-- (`ImportQueries.removeAbsent`: a removed source account's lineage), and the
-- merge's orphan drop deletes only golden accounts no lineage holds.
ALTER TABLE account_lineage DROP CONSTRAINT IF EXISTS account_lineage_golden_id_fkey;
ALTER TABLE account_lineage DROP CONSTRAINT IF EXISTS account_lineage_source_source_id_fkey;
