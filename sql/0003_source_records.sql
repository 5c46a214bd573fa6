-- Imported CRM records, one row per (source instance, source record id),
-- normalized; the input of dedupe and merge.

-- One row per imported file, with its counts (the validation report's input).
CREATE TABLE import_files (
    id            bigserial PRIMARY KEY,
    source        text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('accounts', 'contacts', 'opportunities')),
    format        text NOT NULL,
    path          text NOT NULL,
    rows_read     int NOT NULL DEFAULT 0,
    rows_new      int NOT NULL DEFAULT 0,
    rows_changed  int NOT NULL DEFAULT 0,
    rows_unchanged int NOT NULL DEFAULT 0,
    rows_rejected int NOT NULL DEFAULT 0,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);

CREATE TABLE source_accounts (
    source           text NOT NULL,
    source_id        text NOT NULL,
    name             text,
    name_norm        text,
    website          text,
    domain           text,          -- registrable domain (identity unless domain_identity is false)
    domain_host      text,
    domain_identity  boolean,
    industry         text,
    employees        bigint,
    annual_revenue   numeric,
    country          text,          -- ISO 3166-1 alpha-2
    country_raw      text,
    state            text,
    city             text,
    owner            text,
    parent_id        text,
    type             text,
    last_activity    date,
    prevent_override boolean NOT NULL DEFAULT false,
    extra            jsonb NOT NULL DEFAULT '{}',
    content_hash     text NOT NULL,
    import_file_id   bigint REFERENCES import_files ON DELETE SET NULL,
    first_seen_at    timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, source_id)
);
CREATE INDEX source_accounts_domain ON source_accounts (domain) WHERE domain_identity;
CREATE INDEX source_accounts_name ON source_accounts (name_norm, country);

-- Every row that could not be used: nothing is silently dropped.
CREATE TABLE rejected_rows (
    id             bigserial PRIMARY KEY,
    import_file_id bigint REFERENCES import_files ON DELETE SET NULL,
    source         text NOT NULL,
    kind           text NOT NULL,
    file           text NOT NULL,
    line           int NOT NULL,
    reason         text NOT NULL,
    raw            text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, kind, file, line, reason)
);
