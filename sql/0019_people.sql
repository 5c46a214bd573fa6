-- Persona discovery (DOMAIN.md §4 "People"): the people stage finds the
-- personas tiered accounts lack, within the run's credit budget, and every
-- person found goes through the contact waterfall before a golden contact is
-- created.

-- An optional split of a run's budget (enrichment.people.budget_share): each
-- pool's part, reserved and spent like run_credits (which still holds the whole).
CREATE TABLE run_credit_pools (
    run_id bigint NOT NULL REFERENCES runs ON DELETE CASCADE,
    pool   text NOT NULL CHECK (pool IN ('accounts', 'people')),
    budget numeric NOT NULL CHECK (budget >= 0),
    spent  numeric NOT NULL DEFAULT 0 CHECK (spent >= 0),
    PRIMARY KEY (run_id, pool),
    CHECK (spent <= budget)
);
-- Which pool a paid call drew on.
ALTER TABLE credit_ledger ADD COLUMN pool text NOT NULL DEFAULT 'accounts' CHECK (pool IN ('accounts', 'people'));

-- Rows of CSV people providers (a purchased contact list): many per key (the
-- account's domain), in file order.
CREATE TABLE people_provider_rows (
    provider text NOT NULL,
    key      text NOT NULL,
    position int NOT NULL,
    data     jsonb NOT NULL,
    PRIMARY KEY (provider, key, position)
);

-- The run's plan, written when the stage starts: every tiered account whose
-- coverage (contacts by persona tier) lacks what its tier's quota wants, in
-- priority order (tier, then valuation) and cut into chunks (one job each).
-- Each account owns the golden contact ids from first_contact_id for as many
-- contacts as it lacks: the ids of what is created do not depend on which job
-- commits first.
CREATE TABLE people_plan (
    run_id    bigint NOT NULL REFERENCES runs ON DELETE CASCADE,
    golden_id bigint NOT NULL,
    rank      bigint NOT NULL,
    chunk     int NOT NULL,
    first_contact_id bigint NOT NULL,
    tier      text NOT NULL,
    fit_score numeric,
    valuation numeric,
    need1     int NOT NULL,
    need2     int NOT NULL,
    need3     int NOT NULL,
    PRIMARY KEY (run_id, golden_id)
);
CREATE INDEX people_plan_chunk ON people_plan (run_id, chunk, rank);

-- Every person a provider found at an account, and what became of them: a
-- golden contact created, linked to one the account already had (by email,
-- LinkedIn URL, or name), or not kept and why. Keyed by the provider's
-- identity of the person, so finding someone again updates one row.
CREATE TABLE people_found (
    golden_account_id bigint NOT NULL REFERENCES golden_accounts ON DELETE CASCADE,
    provider          text NOT NULL,
    person_key        text NOT NULL,
    run_id            bigint,
    outcome           text NOT NULL CHECK (outcome IN ('created', 'linked_email', 'linked_linkedin', 'linked_name', 'duplicate',
                          'negative_title', 'below_minimum', 'not_needed', 'privacy', 'unverified', 'no_contact_data')),
    golden_contact_id bigint REFERENCES golden_contacts ON DELETE SET NULL,
    first_name        text,
    last_name         text,
    title             text,
    seniority         text,
    department        text,
    email             text,
    linkedin          text,
    country           text,
    role_start        date,
    persona_score     numeric,
    persona_tier      int,
    cost              numeric NOT NULL DEFAULT 0,
    fetched_at        timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (golden_account_id, provider, person_key)
);
CREATE INDEX people_found_contact ON people_found (golden_contact_id) WHERE golden_contact_id IS NOT NULL;
CREATE INDEX people_found_run ON people_found (run_id);

-- Per account, the latest people run's outcome: what it lacked, what it got,
-- calls and credits, and what each provider did (searched, cached, skipped and
-- why, failed and why, budget). In a plan-only run: the calls and credits the
-- plan needs.
CREATE TABLE people_status (
    golden_id       bigint PRIMARY KEY REFERENCES golden_accounts ON DELETE CASCADE,
    run_id          bigint NOT NULL,
    status          text NOT NULL,
    lacking         jsonb NOT NULL DEFAULT '{}',
    created         int NOT NULL DEFAULT 0,
    linked          int NOT NULL DEFAULT 0,
    calls           int NOT NULL DEFAULT 0,
    cached          int NOT NULL DEFAULT 0,
    credits         numeric NOT NULL DEFAULT 0,
    planned_calls   int NOT NULL DEFAULT 0,
    planned_credits numeric NOT NULL DEFAULT 0,
    privacy         text,
    attempts        jsonb NOT NULL DEFAULT '[]',
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_status_run ON people_status (run_id);

-- Provenance per contact field that a provider gave (found people, and the
-- verifier's email_status): which provider, when it answered, what it cost.
CREATE TABLE contact_provenance (
    golden_contact_id bigint NOT NULL REFERENCES golden_contacts ON DELETE CASCADE,
    field             text NOT NULL,
    value             text NOT NULL,
    provider          text NOT NULL,
    fetched_at        timestamptz NOT NULL,
    cost              numeric NOT NULL DEFAULT 0,
    run_id            bigint,
    PRIMARY KEY (golden_contact_id, field)
);
