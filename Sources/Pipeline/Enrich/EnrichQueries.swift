/// SQL of the enrich stage's results (the cache, ledger and budget are in
/// the Enrichment module's queries).
enum EnrichQueries {
    static let deleteProvenance = "DELETE FROM account_enrichment WHERE golden_id % $2 = $1"
    static let deleteStatus = "DELETE FROM enrichment_status WHERE golden_id % $2 = $1"
    /// The rows of the accounts $1 (ids) a refresh enriches again.
    static let deleteAccountsProvenance = "DELETE FROM account_enrichment WHERE golden_id = ANY($1::int8[])"
    static let deleteAccountsStatus = "DELETE FROM enrichment_status WHERE golden_id = ANY($1::int8[])"
    /// The contents of the provider files in effect (`StageInputs.including`).
    static let providerFiles = "SELECT coalesce(string_agg(provider || '=' || fingerprint, ',' ORDER BY provider), '') FROM provider_files"
    static let copyProvenance = "COPY account_enrichment (golden_id, field, value, provider) FROM STDIN"
    static let copyStatus = "COPY enrichment_status (golden_id, status, missing, attempts, run_id) FROM STDIN"
    static let statusCounts = "SELECT status, count(*)::int8 FROM enrichment_status GROUP BY status ORDER BY status"
}
