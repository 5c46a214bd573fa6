-- Scores, valuations and persona fit, written by the `score` stage (sharded by
-- golden account id): a job deletes and rewrites its shard's rows in its own
-- transaction, so a repeated job leaves the same rows.

-- ICP fit per golden account and product.
CREATE TABLE account_scores (
    golden_id   bigint NOT NULL REFERENCES golden_accounts ON DELETE CASCADE,
    product     text NOT NULL,
    fit_score   numeric NOT NULL,
    tier        text CHECK (tier IN ('T1', 'T2', 'T3')),   -- NULL: excluded
    excluded_by text,                                      -- the exclusion's field
    failed_gate text,                                      -- the gate's field
    scored_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (golden_id, product)
);
CREATE INDEX account_scores_product_tier ON account_scores (product, tier);

-- Estimated ARR per golden account (NULL: no base band matched and no default).
CREATE TABLE account_valuations (
    golden_id bigint PRIMARY KEY REFERENCES golden_accounts ON DELETE CASCADE,
    valuation numeric
);

-- Persona fit per golden contact; priority uses the account's tier for the
-- first product of the configuration.
CREATE TABLE contact_scores (
    golden_contact_id bigint PRIMARY KEY REFERENCES golden_contacts ON DELETE CASCADE,
    golden_account_id bigint NOT NULL,
    persona_score     numeric NOT NULL,
    persona_tier      int CHECK (persona_tier IN (1, 2, 3)),  -- NULL: a negative title
    priority          text NOT NULL
);
CREATE INDEX contact_scores_account ON contact_scores (golden_account_id);
