-- Evidence beyond the name (issue 15): the keys of a source account's phone
-- number and postcode (`ContactPoints` in MarketMapCore), computed at
-- normalize from the columns that stay among `extra` as the CRM holds them.
-- A name match may be a little below the threshold when both records share a
-- phone number, or a postcode with no city conflict (docs/merge.md).
-- Records normalized before this version have none until their next import
-- (the normalization version changed, so it parses every row again).
ALTER TABLE source_accounts
    ADD COLUMN match_phone text,
    ADD COLUMN match_postcode text;

CREATE OR REPLACE VIEW match_records AS
SELECT s.source, s.source_id, coalesce(s.name_norm, '') AS name_norm,
       CASE WHEN s.domain_identity THEN s.domain ELSE '' END AS domain,
       coalesce(s.country, '') AS country, s.prevent_override, coalesce(s.city, '') AS city, coalesce(s.name, '') AS name,
       coalesce(s.match_phone, '') AS phone, coalesce(s.match_postcode, '') AS postcode
FROM source_accounts s;
