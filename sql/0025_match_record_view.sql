-- What matching reads of a source account (`AccountMerger.matchRecords`), in
-- one place for the one-process merge and the resolve shards.
CREATE VIEW match_records AS
SELECT s.source, s.source_id, coalesce(s.name_norm, '') AS name_norm,
       CASE WHEN s.domain_identity THEN s.domain ELSE '' END AS domain,
       coalesce(s.country, '') AS country, s.prevent_override, coalesce(s.city, '') AS city, coalesce(s.name, '') AS name
FROM source_accounts s;
