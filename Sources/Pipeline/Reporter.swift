import Foundation
import JobQueue
import Logging
import Postgres
import ServiceLifecycle

/// Waits (LISTEN) for runs that finished and writes their reports into
/// `run-<id>/`: the run summary (`summary.json`: stages, job counts, timings)
/// for every run, and for a successful `market` run the territory assignment
/// and the market reports (`MarketReports`). Graceful shutdown lets the
/// report being written finish.
public final class Reporter: Service {
    let config: ConnectionConfig
    let outputDirectory: URL
    let runs = Runs(queue: JobQueue())
    let logger: Logger
    private let shutdown = StopRequest()

    public init(config: ConnectionConfig, outputDirectory: URL, logger: Logger) {
        self.config = config
        self.outputDirectory = outputDirectory
        self.logger = logger
    }

    public func run() async {
        await shutdown.whileRunning { await report() }
    }

    private func report() async {
        while !shutdown.isRequested {
            var connection: Connection?
            do {
                let db = try await Connection.connect(config)
                connection = db
                try await db.listen("marketmap_runs")
                let gauges = ReporterGauges()
                var refreshed = ContinuousClock.now - .seconds(60)
                while !shutdown.isRequested {
                    while let finished = try await runs.claimUnreported(on: db) {
                        try await report(run: finished.id, on: db)
                        try await runs.markReported(finished.id, on: db)
                    }
                    if refreshed.duration(to: .now) >= .seconds(2) {
                        try await db.transaction { db in try gauges.refresh(on: db) }
                        refreshed = .now
                    }
                    _ = try await db.waitForNotification(timeout: .seconds(1))
                }
            } catch {
                logger.warning("reporter lost the database; retrying", metadata: ["error": "\(error)"])
                await shutdown.sleep(.seconds(1))
            }
            await connection?.close()
        }
    }

    /// Builds the market reports (database), then writes summary.json (with
    /// the run's changes and tier movers), then the report files, report.html
    /// last: once it exists, every file of the run is complete.
    func report(run: Int, on db: Connection) async throws {
        guard let status = try await runs.status(run, on: db) else { return }
        let directory = outputDirectory.appendingPathComponent("run-\(run)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var built: (reports: MarketReports, set: MarketReportSet)?
        if status.pipeline == MarketPipeline.market.rawValue, status.state == .done {
            do {
                let settings = try await db.transaction { db in try RunSettings.of(run: run, on: db) }
                let scoring = try settings.scoring()
                let reports = MarketReports(config: scoring.config, configText: settings.params.config ?? "", asOf: scoring.asOf, logger: logger)
                built = (reports, try await reports.build(run: run, on: db))
            } catch {
                try failed(error, run: run, directory: directory)
            }
        }
        var summary = RunSummary(status)
        (summary.enrichment, summary.changes, summary.review, summary.people) = try await db.transaction { db in
            (try RunSummary.Enrichment(run: run, on: db), try RunSummary.Changes(run: run, on: db), try ReviewSummary(on: db),
             try PeopleSummary(run: run, on: db))
        }
        try summary.json().write(to: directory.appendingPathComponent("summary.json"))
        if let (reports, set) = built {
            do {
                try await reports.write(set, to: directory, on: db)
                logger.info("market reports written", metadata: [
                    "run": "\(run)", "alerts": "\(set.alerts.count)", "html": "\(directory.appendingPathComponent("report.html").path)",
                ])
            } catch {
                try failed(error, run: run, directory: directory)
            }
        }
        logger.info("run report written", metadata: ["run": "\(run)", "state": "\(status.state.rawValue)", "path": "\(directory.path)"])
    }

    /// A lost connection goes up (the loop reconnects; the run is reported
    /// again when its lease ends); any other failure is logged and left in
    /// report-error.txt.
    func failed(_ error: any Error, run: Int, directory: URL) throws {
        if let error = error as? PostgresError, error.isConnectionLost { throw error }
        logger.error("market reports failed", metadata: ["run": "\(run)", "error": "\(error)"])
        try Data("market reports failed: \(error)\n".utf8).write(to: directory.appendingPathComponent("report-error.txt"))
    }
}
