-- Golden accounts: one per real company, merged across source instances.
CREATE TABLE golden_accounts (
    id               bigserial PRIMARY KEY,
    name             text,
    name_norm        text,
    website          text,
    domain           text,
    industry         text,
    employees        bigint,
    annual_revenue   numeric,
    country          text,
    state            text,
    city             text,
    owner            text,
    type             text,
    last_activity    date,
    prevent_override boolean NOT NULL DEFAULT false,
    source_count     int NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX golden_accounts_domain ON golden_accounts (domain);

-- Every source record → its golden account, and how it matched.
CREATE TABLE account_lineage (
    source       text NOT NULL,
    source_id    text NOT NULL,
    golden_id    bigint NOT NULL REFERENCES golden_accounts ON DELETE CASCADE,
    match_method text NOT NULL CHECK (match_method IN ('single', 'domain', 'name')),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, source_id),
    FOREIGN KEY (source, source_id) REFERENCES source_accounts ON DELETE CASCADE
);
CREATE INDEX account_lineage_golden ON account_lineage (golden_id);

-- Fields whose sources disagree, with every distinct value.
CREATE TABLE account_conflicts (
    golden_id bigint NOT NULL REFERENCES golden_accounts ON DELETE CASCADE,
    field     text NOT NULL,
    source_values text[] NOT NULL,
    PRIMARY KEY (golden_id, field)
);
