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
