/// SQL of resolve's survive step (a job per shard): lineage, stale marking,
/// survivorship, conflicts.
extension MergeQueries {
    // Resolve, step 4 (a job per shard): lineage, survivorship, review items of the shard's accounts.

    /// A shard job reads its shard's rows of whole-market tables
    /// (`source_accounts`, `golden_accounts`, lineage, contacts). Joined as
    /// tables, the planner's estimate preferred scanning and hashing the whole
    /// table, which cost every job the whole market (32 jobs at 1M: 32 scans of
    /// each table). So:
    /// - a statement that reads only whole-market tables by the run's shard
    ///   (`fillMembers`, `ContactQueries.readMembers`, `.shardAccounts`) runs
    ///   between `readThroughIndexes` and `planAsUsual`;
    /// - one that joins a temporary table to a whole-market table reads the
    ///   latter in a lateral subquery per row (`OFFSET 0` keeps it one) or, for
    ///   an UPDATE, with the ids as an array (`g.id = ANY (ARRAY(SELECT ...))`),
    ///   which the planner reads through the primary key.
    /// Never sequential scans off around a read of a temporary table (it has no
    /// index): every plan then carries the same disabled scan, PostgreSQL ranks
    /// plans within 1 % of each other as equal and picks among them by other
    /// criteria (a nested loop of all golden contacts against a shard's
    /// members; a full index scan of `source_contacts` per job).
    static let readThroughIndexes = "SET LOCAL enable_seqscan = off"
    /// Ends `readThroughIndexes`.
    static let planAsUsual = "SET LOCAL enable_seqscan = on"

    /// The shard's records with their golden ids (`l`, as `memberColumns` reads
    /// them). An anchor's `resolve_golden` row has its cluster's shard, so the
    /// join reads the shard's rows of both tables only.
    static let stageMembers = """
        DROP TABLE IF EXISTS resolve_members;
        CREATE TEMP TABLE resolve_members (golden_id bigint, source text, source_id text, match_method text, match_reason text);
        """
    static let fillMembers = """
        INSERT INTO resolve_members
        SELECT g.golden_id, c.source, c.source_id, c.match_method, c.match_reason
        FROM resolve_clusters c
        JOIN resolve_golden g ON g.run_id = c.run_id AND g.shard = c.shard
                             AND g.anchor_source = c.anchor_source AND g.anchor_source_id = c.anchor_source_id
        WHERE c.run_id = $1 AND c.shard = $2
        """
    /// What the step's statements group by and look up with (not the match reasons' text).
    static let analyzeMembers = "ANALYZE resolve_members (golden_id, source, source_id)"
    static let writeLineage = """
        INSERT INTO account_lineage AS l (source, source_id, golden_id, match_method, match_reason)
        SELECT source, source_id, golden_id, match_method, match_reason FROM resolve_members
        ON CONFLICT (source, source_id) DO UPDATE SET golden_id = excluded.golden_id, match_method = excluded.match_method,
            match_reason = excluded.match_reason, updated_at = now()
        WHERE l.golden_id IS DISTINCT FROM excluded.golden_id OR l.match_method IS DISTINCT FROM excluded.match_method
            OR l.match_reason IS DISTINCT FROM excluded.match_reason
        """
    static let createStale = "DROP TABLE IF EXISTS merge_stale; CREATE TEMP TABLE merge_stale (golden_id bigint)"
    /// The last survivorship's time, if it used this source priority ($1) and version ($2).
    static let lastSurvived = "SELECT resolved_at FROM merge_state WHERE source_priority = $1 AND version = $2"
    /// No survivorship to build on: every account of the shard is stale.
    static let markAllStale = "INSERT INTO merge_stale SELECT DISTINCT golden_id FROM resolve_members"
    /// The shard's golden accounts whose survivorship may differ from what is
    /// stored: a member record or lineage row written since the last
    /// survivorship with this source priority ($1) and version ($2), or a
    /// member count that differs from source_count (members removed or moved
    /// away; new accounts). Stage order makes "since" exact: a run's normalize
    /// jobs commit before its resolve starts, and a shard's lineage rows are
    /// its own.
    static let markStale = """
        WITH since AS (SELECT resolved_at FROM merge_state WHERE source_priority = $1 AND version = $2)
        INSERT INTO merge_stale
        SELECT m.golden_id FROM resolve_members m
        CROSS JOIN LATERAL (
            SELECT s.updated_at AS record_at, l.updated_at AS lineage_at
            FROM source_accounts s JOIN account_lineage l ON l.source = s.source AND l.source_id = s.source_id
            WHERE s.source = m.source AND s.source_id = m.source_id OFFSET 0) x
        WHERE x.record_at >= (SELECT resolved_at FROM since) OR x.lineage_at >= (SELECT resolved_at FROM since)
        UNION
        SELECT c.golden_id FROM (SELECT golden_id, count(*) AS n FROM resolve_members GROUP BY 1) c
        LEFT JOIN LATERAL (SELECT g.source_count FROM golden_accounts g WHERE g.id = c.golden_id OFFSET 0) g ON true
        WHERE g.source_count IS DISTINCT FROM c.n
        """
    /// Keeps the stale accounts of the shard only (pins mark any account).
    static let keepShardStale = """
        DELETE FROM merge_stale s WHERE NOT EXISTS (SELECT 1 FROM resolve_members m WHERE m.golden_id = s.golden_id)
        """
    static let analyzeStale = "ANALYZE merge_stale"
    static let staleCount = "SELECT count(*)::int8 FROM merge_stale"

    /// What survivorship reads of a member record (`AccountMerger.member`):
    /// `l` is its lineage row, `s` its source_accounts row. "Most recent" is
    /// the CRM's last activity, never when marketmap loaded the row (a
    /// refresh loads only what changed, a full run everything at once).
    static let memberColumns = """
        l.golden_id, s.source, s.source_id, to_char(s.last_activity, 'YYYY-MM-DD'),
        coalesce(s.last_activity::text, ''), s.prevent_override,
        coalesce(s.name, ''), coalesce(s.name_norm, ''), coalesce(s.website, ''),
        CASE WHEN s.domain_identity THEN s.domain ELSE '' END, coalesce(s.industry, ''),
        coalesce(s.employees::text, ''), coalesce(s.annual_revenue::text, ''), coalesce(s.country, ''),
        coalesce(s.state, ''), coalesce(s.city, ''), coalesce(s.owner, ''), coalesce(s.type, '')
        """
    /// Members of the shard's stale golden accounts, grouped, for survivorship in Swift.
    static let members = """
        COPY (SELECT \(memberColumns)
              FROM resolve_members l
              CROSS JOIN LATERAL (SELECT * FROM source_accounts s WHERE s.source = l.source AND s.source_id = l.source_id OFFSET 0) s
              WHERE l.golden_id IN (SELECT golden_id FROM merge_stale)
              ORDER BY l.golden_id) TO STDOUT
        """
    static let createSurvived = """
        CREATE TEMP TABLE IF NOT EXISTS merge_survived (
            id bigint, name text, name_norm text, website text, domain text, industry text, employees bigint,
            annual_revenue numeric, country text, state text, city text, owner text, type text, last_activity date,
            prevent_override boolean, source_count int, conflicts jsonb)
        """
    static let truncateSurvived = "TRUNCATE merge_survived"
    static let copySurvived = """
        COPY merge_survived (id, name, name_norm, website, domain, industry, employees, annual_revenue, country, state,
            city, owner, type, last_activity, prevent_override, source_count, conflicts) FROM STDIN
        """
    static let applySurvived = """
        UPDATE golden_accounts g SET name = m.name, name_norm = m.name_norm, website = m.website, domain = m.domain,
            industry = m.industry, employees = m.employees, annual_revenue = m.annual_revenue, country = m.country,
            state = m.state, city = m.city, owner = m.owner, type = m.type, last_activity = m.last_activity,
            prevent_override = m.prevent_override, source_count = m.source_count, updated_at = now()
        FROM merge_survived m WHERE g.id = m.id AND g.id = ANY (ARRAY(SELECT id FROM merge_survived))
        """
    static let replaceConflicts = """
        DELETE FROM account_conflicts c USING merge_survived m
        WHERE c.golden_id = m.id AND c.golden_id = ANY (ARRAY(SELECT id FROM merge_survived));
        INSERT INTO account_conflicts (golden_id, field, source_values)
        SELECT m.id, c.key, ARRAY(SELECT jsonb_array_elements_text(c.value))
        FROM merge_survived m, jsonb_each(m.conflicts) c;
        """
}
