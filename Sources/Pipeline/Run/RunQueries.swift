/// SQL of `marketmap run` and `marketmap status`.
enum RunQueries {
    static let runParams = "SELECT params FROM runs WHERE id = $1"
    static let unfinishedRun = """
        SELECT id FROM runs WHERE pipeline = 'market' AND state = 'running' AND params->>'manifest' = $1 ORDER BY id DESC LIMIT 1
        """
    /// The account rows stored before this import (`shards: auto` plans by the larger of these and the staged ones).
    static let storedAccounts = "SELECT count(*) FROM source_accounts"
    /// The shard count of the latest market run (`shards: auto` keeps it while the market has not halved or grown past it).
    static let previousShards = "SELECT (params->>'shards')::int FROM runs WHERE pipeline = 'market' AND params ? 'shards' ORDER BY id DESC LIMIT 1"
    static let latestMarketRun = "SELECT id FROM runs WHERE pipeline = 'market' ORDER BY id DESC LIMIT 1"
    static let claimFiles = "UPDATE import_files SET run_id = $1 WHERE id = ANY($2)"
    /// What run $1's exports changed: records new, changed, unchanged (skipped
    /// unparsed or by content hash), removed, files; rows read and rejected
    /// (read = new + changed + unchanged + rejected); then its tier movers per change.
    static let changes = """
        SELECT coalesce(sum(rows_new), 0)::int8, coalesce(sum(rows_changed), 0)::int8, coalesce(sum(rows_unchanged), 0)::int8,
            (SELECT count(*) FROM removed_records WHERE run_id = $1)::int8, count(*)::int8,
            coalesce(sum(rows_read), 0)::int8,
            (SELECT count(*) FROM rejected_rows j JOIN import_files f ON f.id = j.import_file_id WHERE f.run_id = $1)::int8
        FROM import_files WHERE run_id = $1
        """
    static let tierMoverCounts = """
        SELECT m->>3, count(*)::int8 FROM reports, jsonb_array_elements(rows) m
        WHERE run_id = $1 AND name = 'tier_movers' GROUP BY 1 ORDER BY 1
        """
    static let latestMarketFingerprint = "SELECT params->>'manifest' FROM runs WHERE pipeline = 'market' ORDER BY id DESC LIMIT 1"
    /// A running market run of another plan ($1: this plan's fingerprint, whose own unfinished run is resumed).
    static let activeMarketRun = """
        SELECT id FROM runs WHERE pipeline = 'market' AND state = 'running' AND params->>'manifest' IS DISTINCT FROM $1 ORDER BY id LIMIT 1
        """
    /// Rows each stage works through, for progress: the records staged for run
    /// $1 (and those left), source accounts, golden accounts, accounts in its people plan.
    static let stageInputs = """
        SELECT (SELECT coalesce(sum(f.rows_read), 0) FROM import_files f JOIN runs r ON f.started_at >= r.created_at WHERE r.id = $1)::int8,
               (SELECT count(*) FROM import_raw_rows)::int8,
               (SELECT count(*) FROM source_accounts)::int8,
               (SELECT count(*) FROM golden_accounts)::int8,
               (SELECT count(*) FROM people_plan WHERE run_id = $1)::int8
        """
    static let reported = "SELECT reported_at IS NOT NULL FROM runs WHERE id = $1"
    static let setProduct = "SELECT set_config('marketmap.product', $1, false)"

    // The output contract. COPY takes no parameters: the product comes from
    // the session setting above.
    static let accountsCSV = """
        COPY (
            SELECT g.id AS golden_id, g.name, g.domain, g.website, g.industry, g.employees, g.annual_revenue, g.country, g.state,
                g.city, g.type, g.source_count, s.tier, s.fit_score,
                (SELECT string_agg(x.product || ':' || coalesce(x.tier, 'excluded'), ';' ORDER BY x.product)
                 FROM account_scores x WHERE x.golden_id = g.id) AS tiers_by_product,
                v.valuation, t.rep_id AS owner, t.previous_owner,
                CASE WHEN t.golden_id IS NULL THEN
                        CASE WHEN s.tier IS NULL THEN 'not assigned: excluded from the ICP (' || coalesce(s.excluded_by, 'no score') || ')'
                             ELSE 'not assigned: no territories configured' END
                     WHEN t.rep_id IS NULL THEN 'not assigned: ' || t.reason
                     ELSE t.reason END AS owner_reason,
                es.status AS enrichment
            FROM enriched_accounts g
            LEFT JOIN account_scores s ON s.golden_id = g.id AND s.product = current_setting('marketmap.product')
            LEFT JOIN account_valuations v ON v.golden_id = g.id
            LEFT JOIN territory_assignments t ON t.golden_id = g.id
            LEFT JOIN enrichment_status es ON es.golden_id = g.id
            ORDER BY g.id
        ) TO STDOUT WITH (FORMAT csv, HEADER true)
        """
    static let lineageCSV = """
        COPY (SELECT source, source_id, golden_id, match_method FROM account_lineage ORDER BY golden_id, source, source_id)
        TO STDOUT WITH (FORMAT csv, HEADER true)
        """
    static let contactsCSV = """
        COPY (
            SELECT c.id AS golden_contact_id, c.golden_account_id, c.first_name, c.last_name, c.email, c.linkedin, c.title,
                c.seniority, c.department, c.country, s.persona_score, s.persona_tier, s.priority
            FROM golden_contacts c LEFT JOIN contact_scores s ON s.golden_contact_id = c.id
            ORDER BY c.id
        ) TO STDOUT WITH (FORMAT csv, HEADER true)
        """
    static let enrichmentCSV = """
        COPY (SELECT e.golden_id, e.field, e.value, e.provider, s.status
              FROM account_enrichment e LEFT JOIN enrichment_status s USING (golden_id) ORDER BY e.golden_id, e.field)
        TO STDOUT WITH (FORMAT csv, HEADER true)
        """
    /// The run's credits (spent, budget; NULL budget: no limit; no row: the
    /// run did not enrich; people searches included: one budget) and the
    /// accounts and fields enrichment filled, and its paid account calls.
    static let enrichmentFigures = """
        SELECT EXISTS (SELECT 1 FROM run_credits WHERE run_id = $1) AS configured,
               coalesce((SELECT spent::float8 FROM run_credits WHERE run_id = $1), 0) AS spent,
               (SELECT budget::float8 FROM run_credits WHERE run_id = $1) AS budget,
               (SELECT count(*) FROM enrichment_status WHERE status IN ('enriched', 'partial', 'partial: budget'))::int8 AS enriched,
               (SELECT count(*) FROM account_enrichment)::int8 AS fields,
               (SELECT count(*) FROM enrichment_status WHERE status LIKE '%budget')::int8 AS not_enriched_budget,
               (SELECT count(*) FROM credit_ledger WHERE run_id = $1 AND cost > 0 AND pool = 'accounts')::int8 AS paid_calls
        """
    static let rejectedCSV = """
        COPY (SELECT source, kind, file, line, reason, raw FROM rejected_rows
              WHERE import_file_id IN (SELECT id FROM current_import_files) ORDER BY source, kind, file, line)
        TO STDOUT WITH (FORMAT csv, HEADER true)
        """
    /// Rows read, rejected, golden figures, tiers; then rows loaded (new or
    /// changed) and unchanged, of the files staged for run $1 (or since it started).
    static let summaryFigures = """
        SELECT (SELECT coalesce(sum(rows_read), 0) FROM import_files f WHERE f.started_at >= r.created_at)::int8 AS rows_read,
               (SELECT count(*) FROM rejected_rows j JOIN import_files f ON f.id = j.import_file_id WHERE f.started_at >= r.created_at)::int8
                   AS rows_rejected,
               (SELECT count(*) FROM golden_accounts)::int8 AS golden_accounts,
               ((SELECT count(*) FROM account_lineage) - (SELECT count(*) FROM golden_accounts))::int8 AS duplicates_merged,
               (SELECT count(*) FROM golden_contacts)::int8 AS golden_contacts,
               (SELECT count(*) FROM account_scores WHERE product = current_setting('marketmap.product') AND tier = 'T1')::int8 AS t1,
               (SELECT count(*) FROM account_scores WHERE product = current_setting('marketmap.product') AND tier = 'T2')::int8 AS t2,
               (SELECT count(*) FROM account_scores WHERE product = current_setting('marketmap.product') AND tier = 'T3')::int8 AS t3,
               (SELECT count(*) FROM account_scores WHERE product = current_setting('marketmap.product') AND tier IS NULL)::int8 AS excluded,
               (SELECT coalesce(sum(rows_new + rows_changed), 0) FROM import_files f WHERE f.started_at >= r.created_at)::int8 AS rows_loaded,
               (SELECT coalesce(sum(rows_unchanged), 0) FROM import_files f WHERE f.started_at >= r.created_at)::int8 AS rows_unchanged
        FROM runs r WHERE r.id = $1
        """
}
