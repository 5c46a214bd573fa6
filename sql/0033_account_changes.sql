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

CREATE TRIGGER golden_accounts_inserted AFTER INSERT ON golden_accounts
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_account_changes('id');
CREATE TRIGGER golden_accounts_updated AFTER UPDATE ON golden_accounts
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_account_changes('id');
CREATE TRIGGER golden_contacts_inserted AFTER INSERT ON golden_contacts
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_account_changes('golden_account_id');
CREATE TRIGGER golden_contacts_updated AFTER UPDATE ON golden_contacts
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_account_changes('golden_account_id');
CREATE TRIGGER golden_contacts_deleted AFTER DELETE ON golden_contacts
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_account_changes('golden_account_id');
CREATE TRIGGER account_enrichment_inserted AFTER INSERT ON account_enrichment
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_account_changes('golden_id');
CREATE TRIGGER account_enrichment_updated AFTER UPDATE ON account_enrichment
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_account_changes('golden_id');
CREATE TRIGGER account_enrichment_deleted AFTER DELETE ON account_enrichment
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_account_changes('golden_id');

-- The largest `account_changes.seq` a stage's job had seen when it ran (null:
-- recorded before this column; the job then redoes its whole shard).
ALTER TABLE stage_inputs ADD COLUMN changes_seq bigint;
