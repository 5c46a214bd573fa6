/// SQL of the match stage: shard-local blocks and their candidate edges.
extension MergeQueries {
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
    /// The row count, and the two columns `shardCommonNames` joins on (all
    /// eleven took 218 ms a job at 200k, `pg_stat_statements`, 2026-12-04).
    static let analyzeShardRecords = "ANALYZE match_shard (match_country, name_norm)"
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
}
