-- Steward review. A merge writes review items (what a person should look at);
-- a steward's decisions are kept by source record identity, so they survive
-- re-imports, refreshes and golden id changes, and every later merge honours
-- them. Decisions are never deleted: undo stamps `undone_at`, the history stays.

CREATE TABLE review_decisions (
    id          bigserial PRIMARY KEY,
    -- same: a and b are one account; different: never in one account;
    -- detach: a leaves its golden account; pin: the golden account holding a
    -- keeps `value` in `field`, over survivorship.
    kind        text NOT NULL CHECK (kind IN ('same', 'different', 'detach', 'pin')),
    a_source    text NOT NULL,
    a_id        text NOT NULL,
    b_source    text,
    b_id        text,
    field       text,
    value       text,
    decided_by  text NOT NULL,
    decided_at  timestamptz NOT NULL DEFAULT now(),
    note        text NOT NULL DEFAULT '',
    -- The review item this answered, if any (items are rebuilt by every merge:
    -- no foreign key).
    item_id     bigint,
    undone_by   text,
    undone_at   timestamptz,
    undo_note   text,
    CHECK ((kind IN ('same', 'different')) = (b_source IS NOT NULL AND b_id IS NOT NULL)),
    CHECK ((kind = 'pin') = (field IS NOT NULL AND value IS NOT NULL)),
    -- A pair is stored in one order, the smaller record first by code point
    -- (the order the matcher uses, not the database's collation).
    CHECK (b_source IS NULL OR (a_source, a_id) <> (b_source, b_id))
);
CREATE INDEX review_decisions_active ON review_decisions (kind) WHERE undone_at IS NULL;
CREATE INDEX review_decisions_a ON review_decisions (a_source, a_id);
CREATE INDEX review_decisions_b ON review_decisions (b_source, b_id) WHERE b_source IS NOT NULL;

-- What the last merge asks a person to look at. Rebuilt by every merge; an
-- item keeps its id while the merge keeps producing it (`item_key`).
CREATE TABLE review_items (
    id          bigserial PRIMARY KEY,
    -- name_match: joined on a name; alt_domain: joined on another domain of the
    -- same name; weak_cluster: three or more records held together by name
    -- evidence only; guard_split: a match a runaway guard refused; near_miss:
    -- a name pair just below the threshold; disagreement: a golden account
    -- whose sources disagree on domain or country.
    kind        text NOT NULL CHECK (kind IN ('name_match', 'alt_domain', 'weak_cluster', 'guard_split', 'near_miss', 'disagreement')),
    item_key    text NOT NULL UNIQUE,
    a_source    text,
    a_id        text,
    b_source    text,
    b_id        text,
    golden_id   bigint,
    score       float8,
    evidence    text NOT NULL DEFAULT '',
    -- What the merge did: joined, kept apart, not joined, kept together.
    action      text NOT NULL,
    run_id      bigint,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_items_kind ON review_items (kind);
CREATE INDEX review_items_golden ON review_items (golden_id);

-- A steward's same decision is a way a record joins its account.
ALTER TABLE account_lineage DROP CONSTRAINT account_lineage_match_method_check;
ALTER TABLE account_lineage ADD CONSTRAINT account_lineage_match_method_check
    CHECK (match_method IN ('single', 'domain', 'name', 'alt_domain', 'decision'));

-- Name pairs just below the threshold travel with the other candidate edges.
ALTER TABLE merge_edges DROP CONSTRAINT merge_edges_kind_check;
ALTER TABLE merge_edges ADD CONSTRAINT merge_edges_kind_check CHECK (kind IN ('domain', 'name', 'alt_domain', 'near_name'));
