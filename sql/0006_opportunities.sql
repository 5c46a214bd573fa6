-- Imported opportunities (deals): win rates, revenue, valuation calibration.
CREATE TABLE source_opportunities (
    source            text NOT NULL,
    source_id         text NOT NULL,
    account_source_id text NOT NULL,
    name              text,
    amount            numeric,
    stage             text,
    close_date        date,
    is_closed         boolean NOT NULL,
    is_won            boolean NOT NULL,
    owner             text,
    extra             jsonb NOT NULL DEFAULT '{}',
    content_hash      text NOT NULL,
    import_file_id    bigint REFERENCES import_files ON DELETE SET NULL,
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, source_id)
);
CREATE INDEX source_opportunities_account ON source_opportunities (source, account_source_id);
