/// SQL of the merge stage.
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
    static let analyzeMembers = "ANALYZE resolve_members"
    static let writeLineage = """
        INSERT INTO account_lineage AS l (source, source_id, golden_id, match_method, match_reason)
        SELECT source, source_id, golden_id, match_method, match_reason FROM resolve_members
        ON CONFLICT (source, source_id) DO UPDATE SET golden_id = excluded.golden_id, match_method = excluded.match_method,
            match_reason = excluded.match_reason, updated_at = now()
        WHERE l.golden_id IS DISTINCT FROM excluded.golden_id OR l.match_method IS DISTINCT FROM excluded.match_method
            OR l.match_reason IS DISTINCT FROM excluded.match_reason
        """
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
    static let summary = """
        SELECT (SELECT count(*) FROM source_accounts)::int8, (SELECT count(*) FROM golden_accounts)::int8,
               (SELECT count(*) FROM account_lineage WHERE match_method IN ('name', 'alt_domain'))::int8,
               (SELECT count(DISTINCT golden_id) FROM account_conflicts)::int8,
               (SELECT count(*) FROM review_items i
                WHERE NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.item_id = i.id AND d.undone_at IS NULL))::int8
        """

    // Match: the candidate edges of a shard of blocks.
    static let deleteShardEdges = "DELETE FROM merge_edges WHERE run_id = $1 AND shard = $2"
    static let copyEdges = "COPY merge_edges (run_id, shard, a_source, a_id, b_source, b_id, score, kind, reason) FROM STDIN"
    // Shard-local match (`ShardMatch`).
    /// Records $4 at a time after ($1, $2) whose block keys are missing or not of version $3.
    static let staleKeyRecords = """
        SELECT source, source_id, name_norm, CASE WHEN domain_identity THEN domain END, country, prevent_override, city, name
        FROM source_accounts WHERE (source, source_id) > ($1, $2) AND match_version IS DISTINCT FROM $3
        ORDER BY source, source_id LIMIT $4
        """
    static let createRekey = """
        CREATE TEMP TABLE IF NOT EXISTS match_rekey (
            source text, source_id text, match_country text, match_buckets smallint[], match_blank_bucket smallint, match_pull integer[])
        """
    static let truncateRekey = "TRUNCATE match_rekey"
    static let copyRekey = "COPY match_rekey (source, source_id, match_country, match_buckets, match_blank_bucket, match_pull) FROM STDIN"
    /// New keys, version $1; `updated_at` stays: keys change nothing survivorship reads.
    static let applyRekey = """
        UPDATE source_accounts s SET match_country = k.match_country, match_buckets = k.match_buckets,
            match_blank_bucket = k.match_blank_bucket, match_pull = k.match_pull, match_version = $1
        FROM match_rekey k WHERE s.source = k.source AND s.source_id = k.source_id
        """
    /// Run $1's counts again (a re-planned stage), and those of runs no longer running.
    static let deleteMarketCounts = """
        DELETE FROM match_runs WHERE run_id = $1 OR run_id IN (SELECT id FROM runs WHERE state <> 'running')
        """
    /// `TermFrequencies.names`: the records with a name.
    static let countMarketNames = """
        INSERT INTO match_runs (run_id, names) SELECT $1, count(*) FROM source_accounts WHERE name_norm <> ''
        """
    /// `TermFrequencies.counts`: the names each word is in, a word counted once per name.
    static let countMarketTerms = """
        INSERT INTO match_terms (run_id, word, names)
        SELECT $1, u.word, count(*)
        FROM source_accounts s, unnest(string_to_array(s.name_norm, ' ')) WITH ORDINALITY AS u(word, position)
        WHERE s.name_norm <> '' AND u.word <> '' AND array_position(string_to_array(s.name_norm, ' '), u.word) = u.position
        GROUP BY u.word
        """
    /// (country, name) pairs more than $2 records carry (`PairScorer`'s same-name counts).
    static let countCommonNames = """
        INSERT INTO match_common_names (run_id, country, name, records)
        SELECT $1, match_country, name_norm, count(*) FROM source_accounts
        WHERE name_norm <> '' AND match_country IS NOT NULL GROUP BY match_country, name_norm HAVING count(*) > $2
        """
    static let createShardRecords = """
        CREATE TEMP TABLE IF NOT EXISTS match_shard (
            source text, source_id text, name_norm text, domain text, country text, prevent_override boolean, city text,
            name text, match_country text, phone text, postcode text);
        TRUNCATE match_shard;
        """
    /// The records of shard $1 of $2 (buckets 0..<$3): those in a block
    /// bucket it owns, and those that share a blank-country key with a
    /// record whose blank-country weighing it owns (`MatchBlocks.shardRecords`).
    static let fillShardRecords = """
        WITH mine AS (SELECT array_agg(b::int2) AS buckets FROM generate_series($1::int, $3::int - 1, $2::int) b),
        wanted AS (
            SELECT coalesce(array_agg(DISTINCT k), '{}') AS keys FROM source_accounts s, unnest(s.match_pull) k
            WHERE s.match_blank_bucket = ANY ((SELECT buckets FROM mine)::int2[]))
        INSERT INTO match_shard
        SELECT s.source, s.source_id, coalesce(s.name_norm, ''), CASE WHEN s.domain_identity THEN s.domain ELSE '' END,
               coalesce(s.country, ''), s.prevent_override, coalesce(s.city, ''), coalesce(s.name, ''), s.match_country,
               coalesce(s.match_phone, ''), coalesce(s.match_postcode, '')
        FROM source_accounts s
        WHERE s.match_buckets && (SELECT buckets FROM mine) OR s.match_pull && (SELECT keys FROM wanted)
        """
    static let analyzeShardRecords = "ANALYZE match_shard"
    static let copyShardRecords = """
        COPY (SELECT source, source_id, name_norm, domain, country, prevent_override, city, name, phone, postcode FROM match_shard) TO STDOUT
        """
    static let marketNames = "SELECT names FROM match_runs WHERE run_id = $1"
    /// The market counts of the shard's words, word by word through the
    /// primary key (as a semi-join the planner read the run's every term in every job).
    static let shardTerms = """
        SELECT t.word, t.names FROM (SELECT DISTINCT unnest(string_to_array(name_norm, ' ')) AS word FROM match_shard) w
        CROSS JOIN LATERAL (SELECT t.word, t.names FROM match_terms t WHERE t.run_id = $1 AND t.word = w.word OFFSET 0) t
        """
    static let shardCommonNames = """
        SELECT c.country, c.name, c.records FROM match_common_names c
        WHERE c.run_id = $1 AND (c.country, c.name) IN (SELECT match_country, name_norm FROM match_shard)
        """
    static let dropRunEdges = "DELETE FROM merge_edges WHERE run_id = $1"

    // Resolve, step 6 (one job, `settle`): what only the whole run knows.

    /// A run's resolve rows, once its accounts and contacts are written.
    /// The tables the resolve steps hand each other rows in, by run.
    static let resolveTables = "resolve_components, resolve_edges, resolve_clusters, resolve_golden, resolve_review, resolve_contacts"
    /// Settle empties them with one TRUNCATE when they hold run $1's rows
    /// only (the six DELETEs took 4.1 s of its 7.1 s at 1M): under a lock it
    /// waits at most 5 s for (autovacuum gives way to it; another run's job
    /// may not), in a savepoint the DELETEs fall back to when the lock did not
    /// come or another run has rows.
    static let truncateSavepoint = "SAVEPOINT resolve_rows"
    static let truncateFallback = "ROLLBACK TO SAVEPOINT resolve_rows"
    static let truncateDone = "RELEASE SAVEPOINT resolve_rows"
    static let lockResolveTables = "SET LOCAL lock_timeout = '5s'; LOCK TABLE \(resolveTables) IN ACCESS EXCLUSIVE MODE; RESET lock_timeout"
    static let otherRunsResolveRows = """
        SELECT EXISTS (SELECT 1 FROM resolve_components WHERE run_id < $1) OR EXISTS (SELECT 1 FROM resolve_components WHERE run_id > $1)
            OR EXISTS (SELECT 1 FROM resolve_edges WHERE run_id < $1) OR EXISTS (SELECT 1 FROM resolve_edges WHERE run_id > $1)
            OR EXISTS (SELECT 1 FROM resolve_clusters WHERE run_id < $1) OR EXISTS (SELECT 1 FROM resolve_clusters WHERE run_id > $1)
            OR EXISTS (SELECT 1 FROM resolve_golden WHERE run_id < $1) OR EXISTS (SELECT 1 FROM resolve_golden WHERE run_id > $1)
            OR EXISTS (SELECT 1 FROM resolve_review WHERE run_id < $1) OR EXISTS (SELECT 1 FROM resolve_review WHERE run_id > $1)
            OR EXISTS (SELECT 1 FROM resolve_contacts WHERE run_id < $1) OR EXISTS (SELECT 1 FROM resolve_contacts WHERE run_id > $1)
        """
    static let truncateResolveTables = "TRUNCATE \(resolveTables)"
    static let dropResolveRows = [
        "DELETE FROM resolve_components WHERE run_id = $1", "DELETE FROM resolve_edges WHERE run_id = $1",
        "DELETE FROM resolve_clusters WHERE run_id = $1", "DELETE FROM resolve_golden WHERE run_id = $1",
        "DELETE FROM resolve_review WHERE run_id = $1", "DELETE FROM resolve_contacts WHERE run_id = $1",
    ]
}
