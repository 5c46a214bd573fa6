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
            let labels: [String] = [try row.decode(0), try row.decode(1), try row.decode(2)]
            current.insert(labels)
            gauge("marketmap_queue_jobs", labels).record(try row.decode(3, as: Int.self))
        }
        let gone = seenQueue.withLock { seen in
            defer { seen = current }
            return seen.subtracting(current)
        }
        for labels in gone { gauge("marketmap_queue_jobs", labels).record(0) }
        let totals = try db.query(PipelineQueries.gaugeTotals)[0]
        Gauge(label: "marketmap_dead_letters").record(try totals.decode(0, as: Int.self))
        for (index, state) in [RunState.running, .done, .failed].enumerated() {
            Gauge(label: "marketmap_runs", dimensions: [("state", state.rawValue)]).record(try totals.decode(1 + index, as: Int.self))
        }
        if rowsCounted.withLock({ $0.map { $0.duration(to: .now) >= Self.rowsInterval } ?? true }) {
            let rows = try db.query(PipelineQueries.gaugeRows)[0]
            for (index, table) in ["source_accounts", "golden_accounts", "golden_contacts"].enumerated() {
                Gauge(label: "marketmap_rows", dimensions: [("table", table)]).record(try rows.decode(index, as: Int.self))
            }
            rowsCounted.withLock { $0 = .now }
        }
        if let latest = try db.query(PipelineQueries.gaugeLatestRun).first {
            Gauge(label: "marketmap_latest_run_id").record(try latest.decode(0, as: Int.self))
            Gauge(label: "marketmap_latest_run_duration_seconds").record(try latest.decode(1, as: Double.self))
            Gauge(label: "marketmap_latest_run_credits_spent").record(try latest.decode(2, as: Double.self))
        }
    }

    private func gauge(_ label: String, _ values: [String]) -> Gauge {
        Gauge(label: label, dimensions: [("stage", values[0]), ("kind", values[1]), ("state", values[2])])
    }
}
