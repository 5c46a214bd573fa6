import JobQueue
import Metrics
import Postgres
import Synchronization

/// The fleet's state as gauges, refreshed by the reporter (one process reads
/// the database for everyone): queue depth by stage, kind and state, dead
/// letters, runs by state, the latest run's duration and credits, and the
/// rows of the main tables (counted once a minute: `rowsInterval`).
final class ReporterGauges: Sendable {
    /// Label sets reported before: set to 0 when their jobs are gone.
    private let seenQueue = Mutex<Set<[String]>>([])
    /// The table rows are counted at most this often: each count scans its
    /// table (a second or more at millions of rows), time taken from the run.
    static let rowsInterval = Duration.seconds(60)
    private let rowsCounted = Mutex<ContinuousClock.Instant?>(nil)

    func refresh(on db: isolated Connection) throws {
        var current: Set<[String]> = []
        for row in try db.query(PipelineQueries.gaugeQueue) {
            let (stage, kind, state, jobs) = try row.decode(String.self, String.self, String.self, Int.self)
            let labels = [stage, kind, state]
            current.insert(labels)
            gauge("marketmap_queue_jobs", labels).record(jobs)
        }
        let gone = seenQueue.withLock { seen in
            defer { seen = current }
            return seen.subtracting(current)
        }
        for labels in gone { gauge("marketmap_queue_jobs", labels).record(0) }
        let (dead, running, done, failed) = try db.query(PipelineQueries.gaugeTotals)[0].decode(Int.self, Int.self, Int.self, Int.self)
        Gauge(label: "marketmap_dead_letters").record(dead)
        for (state, runs) in [(RunState.running, running), (.done, done), (.failed, failed)] {
            Gauge(label: "marketmap_runs", dimensions: [("state", state.rawValue)]).record(runs)
        }
        if rowsCounted.withLock({ $0.map { $0.duration(to: .now) >= Self.rowsInterval } ?? true }) {
            let (source, golden, contacts) = try db.query(PipelineQueries.gaugeRows)[0].decode(Int.self, Int.self, Int.self)
            for (table, rows) in [("source_accounts", source), ("golden_accounts", golden), ("golden_contacts", contacts)] {
                Gauge(label: "marketmap_rows", dimensions: [("table", table)]).record(rows)
            }
            rowsCounted.withLock { $0 = .now }
        }
        if let latest = try db.query(PipelineQueries.gaugeLatestRun).first {
            let (id, seconds, credits) = try latest.decode(Int.self, Double.self, Double.self)
            Gauge(label: "marketmap_latest_run_id").record(id)
            Gauge(label: "marketmap_latest_run_duration_seconds").record(seconds)
            Gauge(label: "marketmap_latest_run_credits_spent").record(credits)
        }
    }

    private func gauge(_ label: String, _ values: [String]) -> Gauge {
        Gauge(label: label, dimensions: [("stage", values[0]), ("kind", values[1]), ("state", values[2])])
    }
}
