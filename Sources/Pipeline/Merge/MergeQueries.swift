import Postgres

/// SQL of the merge stage: here resolve's one-job steps (components, golden
/// ids, settle); a shard's survivorship in `MergeQueries+Survive.swift`,
/// shard-local match in `MergeQueries+Match.swift`.
enum MergeQueries {
    /// What matching reads of every source account (the `match_records` view, sql/0025).
    static let matchRecords = "COPY (SELECT * FROM match_records) TO STDOUT"

    // Resolve, step 1 (one job): connected components over compact record numbers.

    /// Every source record numbered in key order (COPY takes no parameters:
    /// what it streams goes through temporary tables).
    static let numberRecords = """
        DROP TABLE IF EXISTS resolve_numbers;
        CREATE TEMP TABLE resolve_numbers AS
            SELECT source, source_id, (row_number() OVER (ORDER BY source, source_id) - 1)::int AS n,
                   CASE WHEN domain_identity THEN domain END AS domain
            FROM source_accounts;
        ANALYZE resolve_numbers;
        DROP TABLE IF EXISTS resolve_links;
        CREATE TEMP TABLE resolve_links (a int, b int);
        """
    static let recordCount = "SELECT count(*)::int8 FROM resolve_numbers"
    /// The resolve tables are filled in bulk by one step and read by run id
    /// in the next; between runs settle empties them (TRUNCATE keeps the
    /// column statistics, every row the previous run's id). Planned on those,
    /// a refresh's join of the run's edges to its components ran as a nested
    /// loop for minutes at 200k. So a step analyzes what it joins by run id:
    /// the match jobs' edges before the links, the components and edges
    /// after it wrote them (the resolve jobs read them).
    static let analyzeRunEdges = "ANALYZE merge_edges"
    static let analyzeComponents = "ANALYZE resolve_components"
    static let analyzeResolveEdges = "ANALYZE resolve_edges"
    /// The links of the components of run $1: its edges (of every kind, near
    /// misses too, so a review item never spans two shards), every record to
    /// the first record of its domain (a domain's records meet in one
    /// component, so domain sets are per component), and the stewards' `same`
    /// decisions.
    static let fillLinks = """
        INSERT INTO resolve_links
        SELECT a.n, b.n FROM merge_edges e
            JOIN resolve_numbers a ON a.source = e.a_source AND a.source_id = e.a_id
            JOIN resolve_numbers b ON b.source = e.b_source AND b.source_id = e.b_id
            WHERE e.run_id = $1
        UNION ALL
        SELECT n, first FROM (SELECT n, min(n) OVER (PARTITION BY domain) AS first FROM resolve_numbers WHERE domain IS NOT NULL) d
            WHERE n <> first
        UNION ALL
        SELECT a.n, b.n FROM review_decisions d
            JOIN resolve_numbers a ON a.source = d.a_source AND a.source_id = d.a_id
            JOIN resolve_numbers b ON b.source = d.b_source AND b.source_id = d.b_id
            WHERE d.kind = 'same' AND d.undone_at IS NULL
        """
    static let copyLinks = "COPY resolve_links TO STDOUT"
    static let stageLabels = """
        DROP TABLE IF EXISTS resolve_labels;
        CREATE TEMP TABLE resolve_labels (n int, component bigint, shard int);
        """
    static let copyLabels = "COPY resolve_labels (n, component, shard) FROM STDIN"
    static let deleteComponents = "DELETE FROM resolve_components WHERE run_id = $1"
    static let deleteResolveEdges = "DELETE FROM resolve_edges WHERE run_id = $1"
    static let insertComponents = """
        INSERT INTO resolve_components (run_id, source, source_id, component, shard)
        SELECT $1, r.source, r.source_id, l.component, l.shard FROM resolve_numbers r JOIN resolve_labels l ON l.n = r.n
        """
    /// The run's edges by the resolve shard of their component (both ends are in it).
    static let insertResolveEdges = """
        INSERT INTO resolve_edges (run_id, shard, a_source, a_id, b_source, b_id, score, kind, reason)
        SELECT $1, c.shard, e.a_source, e.a_id, e.b_source, e.b_id, e.score, e.kind, e.reason
        FROM merge_edges e JOIN resolve_components c ON c.run_id = $1 AND c.source = e.a_source AND c.source_id = e.a_id
        WHERE e.run_id = $1
        """
    static let dropNumbers = "DROP TABLE IF EXISTS resolve_numbers, resolve_links, resolve_labels"

    // Resolve, step 2 (a job per shard): clusters of the shard's components.

    static let stageShard = """
        CREATE TEMP TABLE IF NOT EXISTS resolve_shard_records (source text, source_id text);
        TRUNCATE resolve_shard_records;
        CREATE TEMP TABLE IF NOT EXISTS resolve_shard_edges (
            a_source text, a_id text, b_source text, b_id text, score float8, kind text, reason text);
        TRUNCATE resolve_shard_edges;
        """
    static let fillResolveShardRecords = "INSERT INTO resolve_shard_records SELECT source, source_id FROM resolve_components WHERE run_id = $1 AND shard = $2"
    static let shardMatchRecords = """
        COPY (SELECT m.* FROM resolve_shard_records k
              CROSS JOIN LATERAL (SELECT m.* FROM match_records m WHERE m.source = k.source AND m.source_id = k.source_id OFFSET 0) m)
        TO STDOUT
        """
    static let fillShardEdges = """
        INSERT INTO resolve_shard_edges SELECT a_source, a_id, b_source, b_id, score, kind, reason FROM resolve_edges
        WHERE run_id = $1 AND shard = $2
        """
    static let copyShardEdges = "COPY resolve_shard_edges TO STDOUT"
    /// The active decisions with the resolve shard of each record (NULL: not
    /// a record of run $1's components).
    static let shardDecisions = """
        SELECT d.id, d.kind, d.a_source, d.a_id, d.b_source, d.b_id, ca.shard AS a_shard, cb.shard AS b_shard
        FROM review_decisions d
        LEFT JOIN resolve_components ca ON ca.run_id = $1 AND ca.source = d.a_source AND ca.source_id = d.a_id
        LEFT JOIN resolve_components cb ON cb.run_id = $1 AND cb.source = d.b_source AND cb.source_id = d.b_id
        WHERE d.undone_at IS NULL AND d.kind IN ('same', 'different', 'detach') ORDER BY d.id
        """
    static let deleteShardClusters = "DELETE FROM resolve_clusters WHERE run_id = $1 AND shard = $2"
    static let deleteShardReview = "DELETE FROM resolve_review WHERE run_id = $1 AND shard = $2"
    static let copyClusters = """
        COPY resolve_clusters (run_id, shard, source, source_id, anchor_source, anchor_source_id, match_method, match_reason) FROM STDIN
        """
    static let copyReview = """
        COPY resolve_review (run_id, shard, kind, item_key, a_source, a_id, b_source, b_id, score, evidence, action) FROM STDIN
        """

    // Resolve, step 3 (one job): golden ids, one rule for the whole run.

    static let deleteGolden = "DELETE FROM resolve_golden WHERE run_id = $1"
    /// Golden ids stay stable: a cluster keeps the golden id most of its
    /// members already had (the smallest on a tie); when an old account split,
    /// the part with the most of its records keeps the id (the smallest anchor
    /// on a tie), whichever shards the parts were resolved in; the others get
    /// new ids, in anchor order after the largest id in use, so the same input
    /// gets the same ids whatever order the rows were written in. Not from the
    /// sequence: a resolve rolled back by a killed worker would have consumed
    /// ids and the retry would number differently. One statement: voting, the
    /// contested ids and the numbering as updates rewrote every row twice
    /// (2.2 million at 3M). `lockGolden` first keeps two resolves from drawing
    /// the same ids.
    static let lockGolden = "LOCK TABLE golden_accounts IN SHARE ROW EXCLUSIVE MODE"
    /// The golden step joins the whole run's clusters, lineage and anchors:
    /// hash joins, whatever the statistics say. On a refresh the column
    /// statistics of `resolve_clusters` were the previous run's (every row of
    /// another run id), the planner expected a few rows of this run, and the
    /// vote ran as a nested loop for minutes at 1M (4.5 s on a first run). The
    /// clusters are analyzed first; nested loops stay off for the two statements.
    static let wholeRunJoins = "ANALYZE resolve_clusters; SET LOCAL enable_nestloop = off"
    static let endWholeRunJoins = "SET LOCAL enable_nestloop = on"
    static let assignGoldenIDs = """
        INSERT INTO resolve_golden (run_id, shard, anchor_source, anchor_source_id, golden_id, votes)
        WITH votes AS (
            SELECT c.anchor_source, c.anchor_source_id, l.golden_id, count(*) AS n
            FROM resolve_clusters c JOIN account_lineage l ON l.source = c.source AND l.source_id = c.source_id
            WHERE c.run_id = $1
            GROUP BY 1, 2, 3),
        best AS (
            SELECT DISTINCT ON (anchor_source, anchor_source_id) anchor_source, anchor_source_id, golden_id, n
            FROM votes ORDER BY anchor_source, anchor_source_id, n DESC, golden_id),
        anchors AS (
            SELECT a.shard, a.anchor_source, a.anchor_source_id, b.golden_id, coalesce(b.n, 0) AS votes
            FROM resolve_clusters a
            LEFT JOIN best b ON b.anchor_source = a.anchor_source AND b.anchor_source_id = a.anchor_source_id
            WHERE a.run_id = $1 AND a.source = a.anchor_source AND a.source_id = a.anchor_source_id),
        kept AS (
            SELECT shard, anchor_source, anchor_source_id, votes,
                   CASE WHEN golden_id IS NOT NULL AND row_number() OVER (
                            PARTITION BY golden_id ORDER BY votes DESC, anchor_source, anchor_source_id) = 1
                        THEN golden_id END AS golden_id
            FROM anchors)
        SELECT $1, shard, anchor_source, anchor_source_id,
               coalesce(golden_id, (SELECT coalesce(max(id), 0) FROM golden_accounts)
                   + row_number() OVER (PARTITION BY golden_id IS NULL ORDER BY anchor_source, anchor_source_id)),
               votes
        FROM kept
        """
    /// Statistics of the run's golden ids (its clusters' come before the vote) for the survive jobs:
    /// without them (autovacuum had not come by yet) the first jobs joined the
    /// two tables' shard rows in a nested loop, every row against every row
    /// (1.0–1.2 s a job at 200k instead of 0.06).
    static let analyzeGolden = "ANALYZE resolve_golden"
    static let insertGolden = """
        INSERT INTO golden_accounts (id)
            SELECT golden_id FROM resolve_golden g
            WHERE g.run_id = $1 AND NOT EXISTS (SELECT 1 FROM golden_accounts a WHERE a.id = g.golden_id)
        """

    // Resolve, step 6 (one job, `settle`): what only the whole run knows.

    /// Golden accounts no source record holds any more, with their scores,
    /// valuation, golden contacts, those contacts' lineage and scores (no
    /// foreign key deletes those: sql/0029, sql/0030; a contact's
    /// `golden_account_id` never changes).
    static let dropOrphans = """
        WITH gone AS (
            DELETE FROM golden_accounts g WHERE NOT EXISTS (SELECT 1 FROM account_lineage l WHERE l.golden_id = g.id) RETURNING g.id
        ), contacts AS (
            DELETE FROM golden_contacts c USING gone WHERE c.golden_account_id = gone.id RETURNING c.id
        ), lineage AS (
            DELETE FROM contact_lineage l USING contacts c WHERE l.golden_contact_id = c.id
        ), scores AS (
            DELETE FROM account_scores s USING gone WHERE s.golden_id = gone.id
        ), valuations AS (
            DELETE FROM account_valuations v USING gone WHERE v.golden_id = gone.id
        )
        DELETE FROM contact_scores c USING gone WHERE c.golden_account_id = gone.id
        """

    static let recordSurvived = """
        INSERT INTO merge_state (resolved_at, source_priority, version) VALUES (now(), $1, $2)
        ON CONFLICT (only_row) DO UPDATE SET resolved_at = now(), source_priority = $1, version = $2
        """
    static let summary = """
        SELECT (SELECT count(*) FROM source_accounts)::int8, (SELECT count(*) FROM golden_accounts)::int8,
               (SELECT count(*) FROM account_lineage WHERE match_method IN ('name', 'alt_domain'))::int8,
               (SELECT count(DISTINCT golden_id) FROM account_conflicts)::int8,
               (SELECT count(*) FROM review_items i
                WHERE NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.item_id = i.id AND d.undone_at IS NULL))::int8
        """

    /// The tables the resolve steps hand each other rows in, by run (fixed
    /// names, never input), quoted for the statements below.
    private static let resolveTableNames = [
        "resolve_components", "resolve_edges", "resolve_clusters", "resolve_golden", "resolve_review", "resolve_contacts",
    ].map(quoteIdentifier)
    private static let resolveTables = resolveTableNames.joined(separator: ", ")
    /// Settle empties them with one TRUNCATE when they hold run $1's rows
    /// only (the six DELETEs took 4.1 s of its 7.1 s at 1M): under a lock it
    /// waits at most 5 s for (autovacuum gives way to it; another run's job
    /// may not), in a savepoint the DELETEs fall back to when the lock did not
    /// come or another run has rows.
    static let truncateSavepoint = "SAVEPOINT resolve_rows"
    static let truncateFallback = "ROLLBACK TO SAVEPOINT resolve_rows"
    static let truncateDone = "RELEASE SAVEPOINT resolve_rows"
    static let lockResolveTables = "SET LOCAL lock_timeout = '5s'; LOCK TABLE " + resolveTables + " IN ACCESS EXCLUSIVE MODE; RESET lock_timeout"
    /// Whether any table holds another run's rows (two index range reads each: `run_id` leads every key).
    static let otherRunsResolveRows = "SELECT " + resolveTableNames.map { table in
        "EXISTS (SELECT 1 FROM " + table + " WHERE run_id < $1) OR EXISTS (SELECT 1 FROM " + table + " WHERE run_id > $1)"
    }.joined(separator: " OR ")
    static let truncateResolveTables = "TRUNCATE " + resolveTables
    /// A run's resolve rows, once its accounts and contacts are written.
    static let dropResolveRows = resolveTableNames.map { table in "DELETE FROM " + table + " WHERE run_id = $1" }
}
