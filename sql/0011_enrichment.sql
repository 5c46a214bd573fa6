-- Enrichment (DOMAIN.md §4): provider answers cached with a time-to-live, the
-- credit budget of each run with a ledger of every paid call, a fleet-wide
-- rate limit per provider, and what the waterfall filled, from which provider.

-- One answer per provider and normalised input (`domain=acme.com`). A negative
-- answer (not found) is cached too, with its own expiry.
CREATE TABLE enrichment_cache (
    provider   text NOT NULL,
    input_key  text NOT NULL,
    found      boolean NOT NULL,
    answer     jsonb NOT NULL DEFAULT '{}',
    fetched_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (provider, input_key)
);

-- A run's budget (NULL: no limit) and what its calls have reserved or spent.
CREATE TABLE run_credits (
    run_id bigint PRIMARY KEY REFERENCES runs ON DELETE CASCADE,
    budget numeric CHECK (budget >= 0),
    spent  numeric NOT NULL DEFAULT 0 CHECK (spent >= 0),
    CHECK (budget IS NULL OR spent <= budget)
);

-- Every paid call: reserved as 'pending' in the same transaction that raises
-- run_credits.spent, settled to its outcome; a call that got no answer is
-- refunded (cost 0). sum(cost) of a run always equals its spent.
CREATE TABLE credit_ledger (
    id         bigserial PRIMARY KEY,
    run_id     bigint NOT NULL,
    provider   text NOT NULL,
    golden_id  bigint NOT NULL,
    input_key  text NOT NULL,
    cost       numeric NOT NULL,
    outcome    text NOT NULL DEFAULT 'pending',
    called_at  timestamptz NOT NULL DEFAULT now(),
    settled_at timestamptz
);
CREATE INDEX credit_ledger_run ON credit_ledger (run_id, provider);

-- Requests started per provider per second, across all workers.
CREATE TABLE provider_rate_windows (
    provider text NOT NULL,
    second   bigint NOT NULL,
    used     int NOT NULL,
    granted  int NOT NULL,  -- what the last taker got
    PRIMARY KEY (provider, second)
);

-- Rows of CSV table providers, loaded with COPY, keyed like the account field
-- they join on.
CREATE TABLE provider_rows (
    provider text NOT NULL,
    key      text NOT NULL,
    data     jsonb NOT NULL,
    PRIMARY KEY (provider, key)
);
CREATE TABLE provider_files (
    provider    text PRIMARY KEY,
    path        text NOT NULL,
    fingerprint text NOT NULL,
    rows        bigint NOT NULL,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- Provenance: each field the waterfall filled, its value and its provider.
CREATE TABLE account_enrichment (
    golden_id bigint NOT NULL REFERENCES golden_accounts ON DELETE CASCADE,
    field     text NOT NULL,
    value     text NOT NULL,
    provider  text NOT NULL,
    filled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (golden_id, field)
);

-- The outcome per account: complete / partial / not enriched: budget / ...,
-- and what each provider did (filled, cached, not_found, skipped and why,
-- failed and why).
CREATE TABLE enrichment_status (
    golden_id bigint PRIMARY KEY REFERENCES golden_accounts ON DELETE CASCADE,
    status    text NOT NULL,
    missing   text[] NOT NULL DEFAULT '{}',
    attempts  jsonb NOT NULL DEFAULT '[]',
    run_id    bigint,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enrichment_status_status ON enrichment_status (status);

-- Golden accounts as scoring, reports and files see them: the CRM's values
-- (golden_accounts stays the CRM's truth, so a refresh can tell what is still
-- missing) with blanks filled by enrichment. Same columns as golden_accounts.
CREATE VIEW enriched_accounts AS
SELECT g.id, g.name, g.name_norm,
       coalesce(g.website, e.website) AS website, g.domain,
       coalesce(g.industry, e.industry) AS industry,
       coalesce(g.employees, e.employees) AS employees,
       coalesce(g.annual_revenue, e.annual_revenue) AS annual_revenue,
       coalesce(g.country, e.country) AS country,
       coalesce(g.state, e.state) AS state,
       coalesce(g.city, e.city) AS city,
       g.owner, g.type, g.last_activity, g.prevent_override, g.source_count, g.created_at, g.updated_at
FROM golden_accounts g
LEFT JOIN LATERAL (
    SELECT max(value) FILTER (WHERE field = 'website') AS website,
           max(value) FILTER (WHERE field = 'industry') AS industry,
           max(round(value::numeric)::bigint) FILTER (WHERE field = 'employees' AND value ~ '^[0-9]+(\.[0-9]+)?$') AS employees,
           max(value::numeric) FILTER (WHERE field = 'annual_revenue' AND value ~ '^[0-9]+(\.[0-9]+)?$') AS annual_revenue,
           max(value) FILTER (WHERE field = 'country') AS country,
           max(value) FILTER (WHERE field = 'state') AS state,
           max(value) FILTER (WHERE field = 'city') AS city
    FROM account_enrichment a WHERE a.golden_id = g.id
) e ON true;
