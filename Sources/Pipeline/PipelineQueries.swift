/// SQL of the Pipeline module's top folder: the reporter's gauges (`ReporterGauges`).
enum PipelineQueries {
    static let gaugeQueue = "SELECT stage, kind, state, count(*)::int8 FROM jobs GROUP BY 1, 2, 3"
    static let gaugeTotals = """
        SELECT (SELECT count(*) FROM dead_letters)::int8,
               (SELECT count(*) FROM runs WHERE state = 'running')::int8,
               (SELECT count(*) FROM runs WHERE state = 'done')::int8,
               (SELECT count(*) FROM runs WHERE state = 'failed')::int8,
               (SELECT count(*) FROM source_accounts)::int8,
               (SELECT count(*) FROM golden_accounts)::int8,
               (SELECT count(*) FROM golden_contacts)::int8
        """
    static let gaugeLatestRun = """
        SELECT r.id, extract(epoch FROM coalesce(r.finished_at, now()) - r.created_at)::float8, coalesce(c.spent, 0)::float8
        FROM runs r LEFT JOIN run_credits c ON c.run_id = r.id ORDER BY r.id DESC LIMIT 1
        """
}
