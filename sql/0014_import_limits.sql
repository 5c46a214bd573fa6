-- Imports that never fail a file on one row: free text in indexes is a
-- prefix or a hash, never the whole value (a btree row holds at most about
-- 2.7 KB, and a cell may be up to 1 MiB).

-- An 8 KB company name must load: index a prefix of the normalized name.
DROP INDEX source_accounts_name;
CREATE INDEX source_accounts_name ON source_accounts (left(name_norm, 200), country);

-- A reject is unique per file and line and reason; file paths and reasons
-- are free text, so the index holds their hashes.
ALTER TABLE rejected_rows DROP CONSTRAINT rejected_rows_source_kind_file_line_reason_key;
CREATE UNIQUE INDEX rejected_rows_key ON rejected_rows (source, kind, md5(file), line, md5(reason));

-- The encoding a file was read in (transcoded to UTF-8 unless utf-8).
ALTER TABLE import_files ADD COLUMN encoding text NOT NULL DEFAULT 'utf-8';
