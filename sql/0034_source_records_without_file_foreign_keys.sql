-- A source record's `import_file_id` says which staged file last wrote it
-- (provenance, read by no join that needs the file to exist). Its foreign key
-- checked, for every record a normalize job inserted or changed, that the
-- file row exists (a query and a row lock per record: about a tenth of
-- PostgreSQL's work in normalize, `ops/bench/profile-stages 200000 normalize`,
-- 2026-12-04). No statement deletes import_files rows; the file ids a job
-- writes are those of the file it normalizes, whose row it has just read.
ALTER TABLE source_accounts DROP CONSTRAINT IF EXISTS source_accounts_import_file_id_fkey;
ALTER TABLE source_contacts DROP CONSTRAINT IF EXISTS source_contacts_import_file_id_fkey;
ALTER TABLE source_opportunities DROP CONSTRAINT IF EXISTS source_opportunities_import_file_id_fkey;
