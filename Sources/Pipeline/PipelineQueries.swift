/// SQL of the Pipeline module's top folder: the reporter's gauges (`ReporterGauges`).
enum PipelineQueries {
    static let gaugeQueue = "SELECT stage, kind, state, count(*)::int8 FROM jobs GROUP BY 1, 2, 3"
    static let gaugeTotals = """
        SELECT (SELECT count(*) FROM dead_letters)::int8,
               (SELECT count(*) FROM runs WHERE state = 'running')::int8,
               (SELECT count(*) FROM runs WHERE state = 'done')::int8,
               (SELECT count(*) FROM runs WHERE state = 'failed')::int8
        """
    /// Whole-table counts (a scan each: seconds at millions of rows), so read less often.
    static let gaugeRows = """
        SELECT (SELECT count(*) FROM source_accounts)::int8,
               (SELECT count(*) FROM golden_accounts)::int8,
               (SELECT count(*) FROM golden_contacts)::int8
        """
    static let gaugeLatestRun = """
        SELECT r.id, extract(epoch FROM coalesce(r.finished_at, now()) - r.created_at)::float8, coalesce(c.spent, 0)::float8
        FROM runs r LEFT JOIN run_credits c ON c.run_id = r.id ORDER BY r.id DESC LIMIT 1
        """
}

extension PipelineQueries {
    // `StageInputs` (sql/0026, sql/0033).
    /// The largest account change the job saw when it last ran with these settings (none: redo the shard).
    static let changesSeen = """
        SELECT changes_seq FROM stage_inputs
        WHERE stage = $1 AND shard = $2 AND shards = $3 AND config_hash = $4 AND version = $5 AND as_of = $6::date
          AND changes_seq IS NOT NULL
        """
    /// With the largest account change the job has seen (its own writes included).
    static let recordStageInputs = """
        INSERT INTO stage_inputs (stage, shard, shards, run_id, config_hash, version, as_of, redone, changes_seq)
        VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, (SELECT coalesce(max(seq), 0) FROM account_changes))
        ON CONFLICT (stage, shard) DO UPDATE SET shards = excluded.shards, run_id = excluded.run_id, config_hash = excluded.config_hash,
            version = excluded.version, as_of = excluded.as_of, redone = excluded.redone, changes_seq = excluded.changes_seq,
            recorded_at = now()
        """
}
