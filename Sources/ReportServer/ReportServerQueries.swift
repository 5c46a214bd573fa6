/// The SQL of the reporter's HTTP server (review reads and writes go through
/// `ReviewStore`).
enum ReportServerQueries {
    /// The newest market run whose reports were written.
    static let latestReportedRun = """
        SELECT id FROM runs WHERE pipeline = 'market' AND state = 'done' AND reported_at IS NOT NULL ORDER BY id DESC LIMIT 1
        """
    /// Each source record's golden account now ($1 sources, $2 ids).
    static let goldenIDs = """
        SELECT t.source, t.source_id, l.golden_id FROM unnest($1::text[], $2::text[]) AS t(source, source_id)
        LEFT JOIN account_lineage l ON l.source = t.source AND l.source_id = t.source_id
        """
    /// The market runs under way.
    static let runningRuns = "SELECT id FROM runs WHERE pipeline = 'market' AND state = 'running' ORDER BY id"
}
