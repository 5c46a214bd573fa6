-- The contact waterfall in shards (issue 17): each `survive` job keeps here
-- the contacts of its shard's golden accounts with what the lookups found
-- (their golden contact kept, matched by email or by LinkedIn URL) or the new
-- golden contact they make (`new_phase`, `new_key`); the `contacts` stage
-- numbers the new ones once for the run when it starts, its jobs write them
-- per shard, and `settle` counts them and removes the run's rows.
CREATE TABLE resolve_contacts (
    run_id            bigint NOT NULL,
    shard             int NOT NULL,
    source            text NOT NULL,
    source_id         text NOT NULL,
    golden_account_id bigint NOT NULL,
    golden_contact_id bigint,           -- NULL until a new golden contact is numbered
    method            text NOT NULL CHECK (method IN ('kept', 'email', 'linkedin', 'created')),
    new_phase         smallint,         -- a new golden contact's: 1 one per email, 2 per LinkedIn URL, 3 a contact alone
    new_key           text,             -- its email or LinkedIn URL (NULL alone: the contact's own key)
    PRIMARY KEY (run_id, source, source_id)
);
CREATE INDEX resolve_contacts_shard ON resolve_contacts (run_id, shard);
CREATE INDEX resolve_contacts_new ON resolve_contacts (run_id) WHERE new_phase IS NOT NULL;
