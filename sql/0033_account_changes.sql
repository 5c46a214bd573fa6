-- Which golden accounts changed, for the stages that read an account's facts
-- (enrich, score; issue 17). Every statement that writes what those stages
-- read of an account notes the account here, set-based (a trigger per
-- statement over its transition table): its golden row (survivorship rewrites
-- it when any member record, lineage row or member count changed, so this
-- covers the CRM's fields and the `extra` columns too), its contacts and its
-- enrichment. `seq` grows with every note; a job records the largest it has
-- seen (`stage_inputs.changes_seq`), and the next run's job of that shard
-- reads only the accounts noted after it. Stage order makes that exact: the
-- writers of an account's inputs commit before the stages that read them
-- start, and a shard's enrichment is written by that shard's job alone.
-- One row per account (the latest note); a removed account's row stays, read
-- by nobody (nothing joins it to a golden account).
CREATE SEQUENCE account_change_seq;
CREATE TABLE account_changes (
    golden_id bigint PRIMARY KEY,
    seq       bigint NOT NULL
);
CREATE INDEX account_changes_seq ON account_changes (seq);

-- TG_ARGV[0]: the column of `changed_rows` that holds the golden account id.
CREATE FUNCTION note_account_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO account_changes (golden_id, seq)
         SELECT id, nextval(''account_change_seq'') FROM (SELECT DISTINCT %I AS id FROM changed_rows WHERE %I IS NOT NULL ORDER BY 1) c
         ON CONFLICT (golden_id) DO UPDATE SET seq = excluded.seq', TG_ARGV[0], TG_ARGV[0]);
    RETURN NULL;
END $$;

-- Per table, event and the column holding the golden account id: what is
-- noted after each statement (a deleted row's account from the old rows).
DO $$
DECLARE t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('golden_accounts', 'INSERT', 'id'), ('golden_accounts', 'UPDATE', 'id'),
        ('golden_contacts', 'INSERT', 'golden_account_id'), ('golden_contacts', 'UPDATE', 'golden_account_id'),
        ('golden_contacts', 'DELETE', 'golden_account_id'),
        ('account_enrichment', 'INSERT', 'golden_id'), ('account_enrichment', 'UPDATE', 'golden_id'),
        ('account_enrichment', 'DELETE', 'golden_id')) AS v(tab, event, col)
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_account_changes(%L)',
            t.tab || '_' || lower(t.event) || '_noted', t.event, t.tab, CASE WHEN t.event = 'DELETE' THEN 'OLD' ELSE 'NEW' END, t.col);
    END LOOP;
END $$;

-- The largest `account_changes.seq` a stage's job had seen when it ran (null:
-- recorded before this column; the job then redoes its whole shard).
ALTER TABLE stage_inputs ADD COLUMN changes_seq bigint;
