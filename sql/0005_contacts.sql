-- Imported contacts, one row per (source instance, source record id).
CREATE TABLE source_contacts (
    source            text NOT NULL,
    source_id         text NOT NULL,
    account_source_id text NOT NULL,   -- the same source's account id
    first_name        text,
    last_name         text,
    email             text,            -- normalized
    email_domain      text,
    linkedin          text,            -- linkedin.com/in/<slug>
    title             text,
    seniority         text,
    department        text,
    country           text,
    state             text,
    owner             text,
    role_start        date,
    extra             jsonb NOT NULL DEFAULT '{}',
    content_hash      text NOT NULL,
    import_file_id    bigint REFERENCES import_files ON DELETE SET NULL,
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, source_id)
);
CREATE INDEX source_contacts_account ON source_contacts (source, account_source_id);

-- One person at one golden account.
CREATE TABLE golden_contacts (
    id                bigserial PRIMARY KEY,
    golden_account_id bigint NOT NULL REFERENCES golden_accounts ON DELETE CASCADE,
    email             text,
    linkedin          text,
    first_name        text,
    last_name         text,
    title             text,
    seniority         text,
    department        text,
    country           text,
    state             text,
    role_start        date,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX golden_contacts_email ON golden_contacts (golden_account_id, email) WHERE email IS NOT NULL;
CREATE INDEX golden_contacts_linkedin ON golden_contacts (golden_account_id, linkedin) WHERE linkedin IS NOT NULL;

CREATE TABLE contact_lineage (
    source            text NOT NULL,
    source_id         text NOT NULL,
    golden_contact_id bigint NOT NULL REFERENCES golden_contacts ON DELETE CASCADE,
    match_method      text NOT NULL CHECK (match_method IN ('email', 'linkedin', 'created', 'kept')),
    PRIMARY KEY (source, source_id),
    FOREIGN KEY (source, source_id) REFERENCES source_contacts ON DELETE CASCADE
);
CREATE INDEX contact_lineage_golden ON contact_lineage (golden_contact_id);
