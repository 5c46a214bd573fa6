/// SQL of the reporter's territory assignment and reports. $1 is always the
/// product whose tiers the reports use (the configuration's first).
enum ReportQueries {
    /// Accounts to place: tiered ones and partner accounts (partners go to
    /// partner reps even when the ICP excludes them). $2 as-of day, $3 stale
    /// months (0: never stale), $4 the segment field (a golden column name or
    /// extra.<column>). The owner is the CRM's, else the rep the previous
    /// run assigned (not pushed yet): kept unless balance needs the move.
    /// In the order of each account's anchor (its smallest source record),
    /// which breaks the assigner's ties: never the golden id, which a refresh
    /// keeps from last night and a fresh database numbers anew.
    ///
    /// Set-based: each account's anchor and (for a segment field of `extra`)
    /// its most recent non-blank value are read for the whole market in one
    /// sort each, not looked up account by account (2.3 s of a 200k
    /// refresh's reporter).
    static let territoryAccounts = """
        WITH anchor AS (
            SELECT DISTINCT ON (golden_id) golden_id, source, source_id FROM account_lineage ORDER BY golden_id, source, source_id
        ), segment AS (
            SELECT DISTINCT ON (l.golden_id) l.golden_id, s.extra->>regexp_replace($4::text, '^extra\\.', '') AS value
            FROM account_lineage l JOIN source_accounts s ON s.source = l.source AND s.source_id = l.source_id
            WHERE $4::text NOT IN ('industry', 'country', 'state', 'city', 'type') AND s.extra->>regexp_replace($4::text, '^extra\\.', '') <> ''
            ORDER BY l.golden_id, s.last_activity DESC NULLS LAST, s.source, s.source_id
        )
        SELECT g.id, coalesce(v.valuation, 0)::float8, g.country,
            CASE $4::text
                WHEN 'industry' THEN g.industry WHEN 'country' THEN g.country WHEN 'state' THEN g.state
                WHEN 'city' THEN g.city WHEN 'type' THEN g.type
                ELSE x.value
            END,
            coalesce(nullif(g.owner, ''), a.rep_id), coalesce(lower(g.type) LIKE '%partner%', false),
            coalesce($3::int > 0 AND g.last_activity < $2::date - make_interval(months => $3::int), false)
        FROM enriched_accounts g
        LEFT JOIN account_valuations v ON v.golden_id = g.id
        LEFT JOIN account_scores s ON s.golden_id = g.id AND s.product = $1
        LEFT JOIN territory_assignments a ON a.golden_id = g.id
        LEFT JOIN anchor ON anchor.golden_id = g.id
        LEFT JOIN segment x ON x.golden_id = g.id
        WHERE s.tier IS NOT NULL OR lower(g.type) LIKE '%partner%'
        ORDER BY anchor.source, anchor.source_id, g.id
        """
    // Tier movers: the baseline of the last reported run against account_scores now.
    static let baselineRun = "SELECT run_id, product, config, compared_with, config_changed FROM tier_baseline_run"
    static let storedRows = "SELECT rows::text FROM reports WHERE run_id = $1 AND name = $2"
    static let clearBaseline = "TRUNCATE tier_baseline"
    /// Accounts in either state whose tier differs: id, name, domain, then for
    /// the baseline (`b_`) and for now (`s_`): present, tier, score,
    /// excluded_by, failed_gate, basis; last, where a vanished account's
    /// anchor record went.
    static let tierMoverRows = """
        SELECT coalesce(s.golden_id, b.golden_id) AS golden_id, coalesce(g.name, b.name) AS name, coalesce(g.domain, b.domain) AS domain,
            b.golden_id IS NOT NULL AS b_present, b.tier AS b_tier, coalesce(b.fit_score, 0)::float8 AS b_score,
            b.excluded_by AS b_excluded_by, b.failed_gate AS b_failed_gate, b.basis::text AS b_basis,
            s.golden_id IS NOT NULL AS s_present, s.tier AS s_tier, coalesce(s.fit_score, 0)::float8 AS s_score,
            s.excluded_by AS s_excluded_by, s.failed_gate AS s_failed_gate, s.basis::text AS s_basis,
            CASE WHEN s.golden_id IS NULL THEN
                (SELECT l.golden_id FROM account_lineage l WHERE l.source = b.anchor_source AND l.source_id = b.anchor_id)
            END AS merged_into
        FROM (SELECT * FROM account_scores WHERE product = $1) s
        FULL JOIN tier_baseline b ON b.golden_id = s.golden_id
        LEFT JOIN golden_accounts g ON g.id = s.golden_id
        WHERE s.golden_id IS NULL OR b.golden_id IS NULL OR s.tier IS DISTINCT FROM b.tier
        ORDER BY 1
        """
    static let scoredAccounts = "SELECT count(*)::int8 FROM account_scores WHERE product = $1"
    static let pruneBaseline = """
        DELETE FROM tier_baseline b
        WHERE NOT EXISTS (SELECT 1 FROM account_scores s WHERE s.golden_id = b.golden_id AND s.product = $1)
        """
    /// Writes only rows that differ: a refresh that changed 1 % rewrites about 1 %.
    static let refreshBaseline = """
        WITH anchor AS (
            SELECT DISTINCT ON (golden_id) golden_id, source, source_id FROM account_lineage ORDER BY golden_id, source, source_id
        )
        INSERT INTO tier_baseline AS b (golden_id, tier, fit_score, excluded_by, failed_gate, basis, name, domain, anchor_source, anchor_id)
        SELECT s.golden_id, s.tier, s.fit_score, s.excluded_by, s.failed_gate, s.basis, g.name, g.domain, a.source, a.source_id
        FROM account_scores s JOIN golden_accounts g ON g.id = s.golden_id LEFT JOIN anchor a ON a.golden_id = s.golden_id
        WHERE s.product = $1
        ON CONFLICT (golden_id) DO UPDATE SET
            tier = excluded.tier, fit_score = excluded.fit_score, excluded_by = excluded.excluded_by,
            failed_gate = excluded.failed_gate, basis = excluded.basis, name = excluded.name, domain = excluded.domain,
            anchor_source = excluded.anchor_source, anchor_id = excluded.anchor_id
        WHERE (b.tier, b.fit_score, b.excluded_by, b.failed_gate, b.basis, b.name, b.domain, b.anchor_source, b.anchor_id)
            IS DISTINCT FROM (excluded.tier, excluded.fit_score, excluded.excluded_by, excluded.failed_gate, excluded.basis,
                excluded.name, excluded.domain, excluded.anchor_source, excluded.anchor_id)
        """
    static let setBaselineRun = """
        INSERT INTO tier_baseline_run (run_id, product, config, compared_with, config_changed) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (only_row) DO UPDATE SET run_id = excluded.run_id, product = excluded.product, config = excluded.config,
            compared_with = excluded.compared_with, config_changed = excluded.config_changed
        """

    static let clearAssignments = "DELETE FROM territory_assignments"
    static let copyAssignments = "COPY territory_assignments (golden_id, run_id, rep_id, previous_owner, moved, reason) FROM STDIN"

    static let saveReport = """
        INSERT INTO reports (run_id, name, columns, rows, notes) VALUES ($1, $2, $3, $4::jsonb, $5)
        ON CONFLICT (run_id, name) DO UPDATE SET columns = excluded.columns, rows = excluded.rows, notes = excluded.notes, created_at = now()
        """

    /// Opportunities on golden accounts.
    static let deals = """
        deals AS (
            SELECT l.golden_id, o.is_closed, o.is_won, o.amount
            FROM source_opportunities o JOIN account_lineage l ON l.source = o.source AND l.source_id = o.account_source_id
        )
        """
    static let level1ByTier = "WITH " + deals + """
        SELECT coalesce(s.tier, 'excluded'),
            count(*) FILTER (WHERE d.is_won)::float8, count(*) FILTER (WHERE d.is_closed AND NOT d.is_won)::float8,
            (count(*) FILTER (WHERE d.is_won)::float8 / nullif(count(*) FILTER (WHERE d.is_closed), 0)),
            coalesce(sum(d.amount) FILTER (WHERE d.is_won), 0)::float8
        FROM deals d JOIN account_scores s ON s.golden_id = d.golden_id AND s.product = $1
        GROUP BY 1 ORDER BY 1
        """
    static let level1BySegment = "WITH " + deals + """
        , banded AS (
            SELECT d.*, coalesce(g.industry, '(blank)') AS industry,
                CASE WHEN g.employees IS NULL THEN '(unknown)' WHEN g.employees < 50 THEN '1-49' WHEN g.employees < 200 THEN '50-199'
                     WHEN g.employees < 1000 THEN '200-999' ELSE '1000+' END AS size
            FROM deals d JOIN enriched_accounts g ON g.id = d.golden_id
        )
        SELECT dimension, segment, count(*) FILTER (WHERE is_won)::float8, count(*) FILTER (WHERE is_closed AND NOT is_won)::float8,
            count(*) FILTER (WHERE is_won)::float8 / nullif(count(*) FILTER (WHERE is_closed), 0)
        FROM (SELECT 'industry' AS dimension, industry AS segment, is_won, is_closed FROM banded
              UNION ALL SELECT 'size', size, is_won, is_closed FROM banded) x
        GROUP BY 1, 2 ORDER BY 1, 2
        """
    static let level2Reps = """
        SELECT t.rep_id, count(*)::float8, coalesce(sum(v.valuation), 0)::float8,
            count(*) FILTER (WHERE s.tier = 'T1')::float8, count(*) FILTER (WHERE s.tier = 'T2')::float8,
            count(*) FILTER (WHERE s.tier = 'T3')::float8, count(*) FILTER (WHERE t.moved)::float8
        FROM territory_assignments t
        LEFT JOIN account_valuations v ON v.golden_id = t.golden_id
        LEFT JOIN account_scores s ON s.golden_id = t.golden_id AND s.product = $1
        WHERE t.rep_id IS NOT NULL
        GROUP BY 1 ORDER BY 1
        """
    /// $2: the contacts a T1 account needs (coverage gap below it).
    static let personaCoverage = """
        SELECT s.tier, count(*)::float8, coalesce(avg(c.contacts), 0)::float8,
            count(*) FILTER (WHERE c.tier1 > 0)::float8, count(*) FILTER (WHERE c.tier2 > 0)::float8,
            count(*) FILTER (WHERE coalesce(c.contacts, 0) < $2)::float8
        FROM account_scores s
        LEFT JOIN (
            SELECT golden_account_id, count(*) AS contacts, count(*) FILTER (WHERE persona_tier = 1) AS tier1,
                count(*) FILTER (WHERE persona_tier = 2) AS tier2
            FROM contact_scores GROUP BY 1
        ) c ON c.golden_account_id = s.golden_id
        WHERE s.product = $1 AND s.tier IS NOT NULL
        GROUP BY 1 ORDER BY 1
        """
    static let level3RepTiers = """
        SELECT t.rep_id, coalesce(s.tier, 'excluded'), count(*)::float8, coalesce(sum(v.valuation), 0)::float8
        FROM territory_assignments t
        LEFT JOIN account_scores s ON s.golden_id = t.golden_id AND s.product = $1
        LEFT JOIN account_valuations v ON v.golden_id = t.golden_id
        WHERE t.rep_id IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        """
    static let level3MissingPersonas = """
        SELECT coalesce(t.rep_id, '(unassigned)'), g.id::float8, g.name, g.domain,
            (SELECT count(*) FROM contact_scores c WHERE c.golden_account_id = g.id)::float8
        FROM account_scores s JOIN golden_accounts g ON g.id = s.golden_id
        LEFT JOIN territory_assignments t ON t.golden_id = g.id
        WHERE s.product = $1 AND s.tier = 'T1'
          AND NOT EXISTS (SELECT 1 FROM contact_scores c WHERE c.golden_account_id = g.id AND c.persona_tier = 1)
        ORDER BY 1, 2
        """
    static let validation = """
        SELECT metric, value::float8 FROM (VALUES
            (1, 'source rows read', (SELECT coalesce(sum(rows_read), 0) FROM current_import_files)),
            (2, 'source accounts loaded', (SELECT count(*) FROM source_accounts)),
            (3, 'source contacts loaded', (SELECT count(*) FROM source_contacts)),
            (4, 'source opportunities loaded', (SELECT count(*) FROM source_opportunities)),
            (5, 'rows rejected', (SELECT count(*) FROM rejected_rows WHERE import_file_id IN (SELECT id FROM current_import_files))),
            (6, 'golden accounts', (SELECT count(*) FROM golden_accounts)),
            (7, 'duplicates merged', (SELECT count(*) FROM account_lineage) - (SELECT count(*) FROM golden_accounts)),
            (8, 'golden contacts', (SELECT count(*) FROM golden_contacts)),
            (9, 'accounts without a tier', (SELECT count(*) FROM golden_accounts g WHERE NOT EXISTS (
                SELECT 1 FROM account_scores s WHERE s.golden_id = g.id AND s.product = $1 AND s.tier IS NOT NULL))),
            (10, 'accounts without a valuation', (SELECT count(*) FROM golden_accounts g WHERE NOT EXISTS (
                SELECT 1 FROM account_valuations v WHERE v.golden_id = g.id AND v.valuation IS NOT NULL))),
            (11, 'T1 accounts', (SELECT count(*) FROM account_scores WHERE product = $1 AND tier = 'T1')),
            (12, 'T2 accounts', (SELECT count(*) FROM account_scores WHERE product = $1 AND tier = 'T2')),
            (13, 'T3 accounts', (SELECT count(*) FROM account_scores WHERE product = $1 AND tier = 'T3')),
            (14, 'excluded accounts', (SELECT count(*) FROM account_scores WHERE product = $1 AND tier IS NULL)),
            (15, 'valuation total', (SELECT coalesce(sum(valuation), 0) FROM account_valuations)),
            (16, 'accounts assigned to a rep', (SELECT count(*) FROM territory_assignments WHERE rep_id IS NOT NULL)),
            (17, 'accounts without an eligible rep', (SELECT count(*) FROM territory_assignments WHERE rep_id IS NULL))
        ) AS v(position, metric, value)
        ORDER BY position
        """
    /// (estimate, closed-won amount) per golden account with both, in value
    /// order: floating-point sums over them come out the same to the last
    /// digit whatever ids the accounts have.
    static let calibrationPairs = "WITH " + deals + """
        SELECT v.valuation::float8, sum(d.amount)::float8
        FROM deals d JOIN account_valuations v ON v.golden_id = d.golden_id
        WHERE d.is_won AND d.amount > 0 AND v.valuation > 0
        GROUP BY d.golden_id, v.valuation
        ORDER BY 1, 2
        """
}

extension ReportQueries {
    /// territories.csv: every placed account with its rep (no parameters: COPY cannot take them).
    static let territoriesCSV = """
        COPY (SELECT t.golden_id, g.name, g.domain, t.rep_id, t.previous_owner, CASE WHEN t.moved THEN 'yes' ELSE 'no' END AS moved, t.reason
              FROM territory_assignments t JOIN golden_accounts g ON g.id = t.golden_id ORDER BY t.golden_id)
        TO STDOUT WITH (FORMAT csv, HEADER true)
        """
}

extension ReportQueries {
    static let reportRows = "SELECT rows::text, notes FROM reports WHERE run_id = $1 AND name = $2"
}
