-- Evidence-based matching: edges and lineage carry why two records were
-- joined; another domain of the same company is its own kind of match.
ALTER TABLE merge_edges DROP CONSTRAINT merge_edges_kind_check;
ALTER TABLE merge_edges ADD CONSTRAINT merge_edges_kind_check CHECK (kind IN ('domain', 'name', 'alt_domain'));
ALTER TABLE merge_edges ADD COLUMN reason text NOT NULL DEFAULT '';

ALTER TABLE account_lineage DROP CONSTRAINT account_lineage_match_method_check;
ALTER TABLE account_lineage ADD CONSTRAINT account_lineage_match_method_check
    CHECK (match_method IN ('single', 'domain', 'name', 'alt_domain'));
-- The evidence of the edge that joined this record to its account (empty for
-- a record alone), e.g. 'name 0.97, country GB, city agrees'.
ALTER TABLE account_lineage ADD COLUMN match_reason text NOT NULL DEFAULT '';
