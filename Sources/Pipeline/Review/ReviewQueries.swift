/// SQL of steward review: the decisions a merge honours, the review items it
/// writes, and what the review commands and page read and write.
enum ReviewQueries {
    // What a merge reads.

    /// Active pins of the golden accounts survivorship recomputes, oldest
    /// first (a later pin of the same field wins).
    static let stalePins = """
        SELECT l.golden_id, d.field, d.value FROM review_decisions d
        JOIN account_lineage l ON l.source = d.a_source AND l.source_id = d.a_id
        WHERE d.kind = 'pin' AND d.undone_at IS NULL AND l.golden_id IN (SELECT golden_id FROM merge_stale)
        ORDER BY d.decided_at, d.id
        """
    /// Accounts whose pins were made or undone since the last survivorship.
    static let markPinnedStale = """
        INSERT INTO merge_stale
        SELECT l.golden_id FROM review_decisions d JOIN account_lineage l ON l.source = d.a_source AND l.source_id = d.a_id
        WHERE d.kind = 'pin' AND (d.decided_at >= (SELECT resolved_at FROM merge_state) OR d.undone_at >= (SELECT resolved_at FROM merge_state))
        """

    // What a merge writes.

    static let createItems = """
        CREATE TEMP TABLE IF NOT EXISTS merge_review (
            kind text, item_key text, a_source text, a_id text, b_source text, b_id text, score float8, evidence text, action text);
        TRUNCATE merge_review;
        """
    /// Upserts this merge's items ($1: the run, or NULL) and the source
    /// disagreements on domain or country, then drops the items this merge
    /// no longer produced (`now()` is the transaction's start).
    static let upsertItems = """
        INSERT INTO review_items AS r (kind, item_key, a_source, a_id, b_source, b_id, golden_id, score, evidence, action, run_id, last_seen)
        SELECT DISTINCT ON (m.item_key) m.kind, m.item_key, m.a_source, m.a_id, m.b_source, m.b_id, l.golden_id, m.score, m.evidence,
               m.action, $1::int8, now()
        FROM merge_review m LEFT JOIN account_lineage l ON l.source = m.a_source AND l.source_id = m.a_id
        ORDER BY m.item_key
        ON CONFLICT (item_key) DO UPDATE SET golden_id = excluded.golden_id, score = excluded.score, evidence = excluded.evidence,
            action = excluded.action, run_id = excluded.run_id, last_seen = excluded.last_seen
        """
    static let upsertDisagreements = """
        INSERT INTO review_items AS r (kind, item_key, golden_id, evidence, action, run_id, last_seen)
        SELECT 'disagreement', 'disagreement|' || c.golden_id, c.golden_id,
               string_agg(c.field || ': ' || array_to_string(c.source_values, ' / '), '; ' ORDER BY c.field), 'kept together', $1::int8, now()
        FROM account_conflicts c
        WHERE c.field IN ('domain', 'country') AND c.golden_id IN (SELECT golden_id FROM resolve_members) GROUP BY c.golden_id
        ON CONFLICT (item_key) DO UPDATE SET evidence = excluded.evidence, run_id = excluded.run_id, last_seen = excluded.last_seen
        """
    /// The items run $1's resolve did not produce (the one-process merge, $1
    /// NULL: those it did not see in its transaction).
    static let dropUnseenItems = """
        DELETE FROM review_items WHERE run_id IS DISTINCT FROM $1::int8 OR ($1::int8 IS NULL AND last_seen < now())
        """
    /// A resolve shard's review candidates ($1 run, $2 shard) as `upsertItems` reads them.
    static let fillItems = """
        INSERT INTO merge_review (kind, item_key, a_source, a_id, b_source, b_id, score, evidence, action)
        SELECT kind, item_key, a_source, a_id, b_source, b_id, score, evidence, action FROM resolve_review WHERE run_id = $1 AND shard = $2
        """

    // What review reads and writes.

    /// The active decision answering each item: one made on it, or a `same`
    /// or `different` on its pair.
    private static let itemDecision = """
        LEFT JOIN LATERAL (
            SELECT d.id FROM review_decisions d
            WHERE d.undone_at IS NULL AND (d.item_id = i.id OR (d.kind IN ('same', 'different') AND i.b_source IS NOT NULL AND (
                (d.a_source, d.a_id, d.b_source, d.b_id) = (i.a_source, i.a_id, i.b_source, i.b_id)
                OR (d.a_source, d.a_id, d.b_source, d.b_id) = (i.b_source, i.b_id, i.a_source, i.a_id))))
            ORDER BY d.id DESC LIMIT 1) d ON true
        """
    private static let itemColumns = """
        SELECT i.id, i.kind, i.score, i.evidence, i.action, i.golden_id, coalesce(g.country, '') AS country,
               coalesce(t.rep_id, g.owner, '') AS rep, coalesce(s.tier, '') AS tier, d.id AS decision_id
        FROM review_items i
        LEFT JOIN golden_accounts g ON g.id = i.golden_id
        LEFT JOIN territory_assignments t ON t.golden_id = i.golden_id
        LEFT JOIN LATERAL (SELECT min(tier) AS tier FROM account_scores s WHERE s.golden_id = i.golden_id) s ON true
        """
    /// $1 kind, $2 country, $3 rep, $4 tier (NULL: any), $5 decided ones too, $6 limit, $7 offset.
    static let items = itemColumns + "\n" + itemDecision + "\n" + """
        WHERE ($1::text IS NULL OR i.kind = $1) AND ($2::text IS NULL OR g.country = $2)
          AND ($3::text IS NULL OR coalesce(t.rep_id, g.owner) = $3) AND ($4::text IS NULL OR s.tier = $4)
          AND ($5::bool OR d.id IS NULL)
        -- The most doubtful first: the weakest joins, the strongest near misses.
        ORDER BY i.kind, CASE WHEN i.kind = 'near_miss' THEN -i.score ELSE i.score END NULLS LAST, i.id LIMIT $6 OFFSET $7
        """
    static let item = itemColumns + "\n" + itemDecision + "\nWHERE i.id = $1"
    /// The records of items ($1: their ids as an int8[] literal): both sides of
    /// a pair; every member of the account of a cluster or disagreement item.
    static let itemRecords = """
        WITH wanted AS (SELECT id, kind, a_source, a_id, b_source, b_id, golden_id FROM review_items WHERE id = ANY($1::int8[])),
        keys AS (
            SELECT id, a_source AS source, a_id AS source_id, 0 AS side FROM wanted WHERE a_source IS NOT NULL AND b_source IS NOT NULL
            UNION ALL SELECT id, b_source, b_id, 1 FROM wanted WHERE b_source IS NOT NULL
            UNION ALL SELECT w.id, l.source, l.source_id, 2 FROM wanted w JOIN account_lineage l ON l.golden_id = w.golden_id
                WHERE w.b_source IS NULL)
        SELECT k.id, k.source, k.source_id, coalesce(s.name, '') AS name, coalesce(s.website, '') AS website,
               coalesce(s.country, '') AS country, coalesce(s.city, '') AS city, coalesce(s.owner, '') AS owner,
               l.golden_id, coalesce(l.match_method, '') AS match_method
        FROM keys k LEFT JOIN source_accounts s ON s.source = k.source AND s.source_id = k.source_id
        LEFT JOIN account_lineage l ON l.source = k.source AND l.source_id = k.source_id
        ORDER BY k.id, k.side, k.source, k.source_id
        """
    static let openCounts = "SELECT i.kind, count(*)::int8 AS n FROM review_items i\n" + itemDecision + "\nWHERE d.id IS NULL GROUP BY i.kind"

    /// One source record with its golden account ($1 source, $2 id).
    static let record = """
        SELECT s.source, s.source_id, coalesce(s.name, '') AS name, coalesce(s.website, '') AS website,
               coalesce(s.country, '') AS country, coalesce(s.city, '') AS city, coalesce(s.owner, '') AS owner,
               l.golden_id, coalesce(l.match_method, '') AS match_method
        FROM source_accounts s LEFT JOIN account_lineage l ON l.source = s.source AND l.source_id = s.source_id
        WHERE s.source = $1 AND s.source_id = $2
        """
    /// The records of a golden account ($1).
    static let accountRecords = """
        SELECT s.source, s.source_id, coalesce(s.name, '') AS name, coalesce(s.website, '') AS website,
               coalesce(s.country, '') AS country, coalesce(s.city, '') AS city, coalesce(s.owner, '') AS owner,
               l.golden_id, coalesce(l.match_method, '') AS match_method
        FROM account_lineage l JOIN source_accounts s ON s.source = l.source AND s.source_id = l.source_id
        WHERE l.golden_id = $1 ORDER BY s.source, s.source_id LIMIT 500
        """
    /// A golden account's current value of a field ($1 id, $2 field).
    static let goldenValue = "SELECT to_jsonb(g) ->> $2 AS value FROM golden_accounts g WHERE g.id = $1"

    private static let decisionColumns = """
        SELECT id, kind, a_source, a_id, b_source, b_id, field, value, decided_by,
               to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS decided_at, note, item_id, undone_by,
               to_char(undone_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS undone_at
        FROM review_decisions
        """
    static let decisions = decisionColumns + "\nWHERE $1::bool OR undone_at IS NULL ORDER BY id"
    static let decision = decisionColumns + "\nWHERE id = $1"
    /// The active decision of this kind on this pair or record, either order.
    static let sameDecision = decisionColumns + "\n" + """
         WHERE undone_at IS NULL AND kind = $1 AND coalesce(field, '') = $6 AND coalesce(value, '') = $7 AND (
            (a_source, a_id, coalesce(b_source, ''), coalesce(b_id, '')) = ($2, $3, $4, $5)
            OR (a_source, a_id, coalesce(b_source, ''), coalesce(b_id, '')) = ($4, $5, $2, $3))
        """
    /// The active pair decision of the other kind ($1) on this pair.
    static let opposite = decisionColumns + "\n" + """
         WHERE undone_at IS NULL AND kind = $1 AND (
            (a_source, a_id, b_source, b_id) = ($2, $3, $4, $5) OR (a_source, a_id, b_source, b_id) = ($4, $5, $2, $3))
        """
    static let insertDecision = """
        INSERT INTO review_decisions (kind, a_source, a_id, b_source, b_id, field, value, decided_by, note, item_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
        """
    static let undo = """
        UPDATE review_decisions SET undone_by = $2, undone_at = now(), undo_note = $3 WHERE id = $1 AND undone_at IS NULL RETURNING id
        """
    static let itemExists = "SELECT 1 FROM review_items WHERE id = $1"
    /// Active decisions naming a record that is no longer a source account.
    static let gone = decisionColumns + "\n" + """
         WHERE undone_at IS NULL AND (
            NOT EXISTS (SELECT 1 FROM source_accounts s WHERE s.source = a_source AND s.source_id = a_id)
            OR (b_source IS NOT NULL AND NOT EXISTS (SELECT 1 FROM source_accounts s WHERE s.source = b_source AND s.source_id = b_id)))
        ORDER BY id
        """
    /// Active decisions by kind, for the run summary.
    static let activeCounts = "SELECT kind, count(*)::int8 AS n FROM review_decisions WHERE undone_at IS NULL GROUP BY kind"
}
