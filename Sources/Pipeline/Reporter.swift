import Foundation
import JobQueue
import Logging
import Postgres

/// Waits (LISTEN) for runs that finished and writes their reports into
/// `run-<id>/`: the run summary (`summary.json`: stages, job counts, timings)
/// for every run, and for a successful `market` run the territory assignment
/// and the market reports (`MarketReports`).
public final class Reporter: Sendable {
    let config: ConnectionConfig
    let outputDirectory: URL
    let runs = Runs(queue: JobQueue())
    let logger: Logger
    let shutdown: GracefulShutdown

    public init(config: ConnectionConfig, outputDirectory: URL, logger: Logger, shutdown: GracefulShutdown) {
        self.config = config
        self.outputDirectory = outputDirectory
        self.logger = logger
        self.shutdown = shutdown
    }

    public func run() async {
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

    func report(run: Int, on db: Connection) async throws {
        guard let status = try await runs.status(run, on: db) else { return }
        let directory = outputDirectory.appendingPathComponent("run-\(run)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var summary = RunSummary(status)
        summary.enrichment = try await db.transaction { db in try RunSummary.Enrichment(run: run, on: db) }
        try summary.json().write(to: directory.appendingPathComponent("summary.json"))
        if status.pipeline == "market", status.state == "done" {
            do {
                let params: PostgresJSON = try await db.query(ReportQueries.runParams, run)[0].decode(0)
                let scoring = try ScoreJobs.scoring(params)
                let reports = MarketReports(
                    config: scoring.config, configText: params.field("config", as: String.self) ?? "", asOf: scoring.asOf, logger: logger)
                let set = try await reports.build(run: run, on: db)
                try await reports.write(set, to: directory, on: db)
                logger.info("market reports written", metadata: [
                    "run": "\(run)", "alerts": "\(set.alerts.count)", "html": "\(directory.appendingPathComponent("report.html").path)",
                ])
            } catch let error as PostgresError where error.isConnectionLost {
                throw error
            } catch {
                logger.error("market reports failed", metadata: ["run": "\(run)", "error": "\(error)"])
                try Data("market reports failed: \(error)\n".utf8).write(to: directory.appendingPathComponent("report-error.txt"))
            }
        }
        logger.info("run report written", metadata: ["run": "\(run)", "state": "\(status.state)", "path": "\(directory.path)"])
    }
}

/// The JSON form of a run's status.
public struct RunSummary: Codable, Sendable {
    public struct Stage: Codable, Sendable {
        public var stage: String
        public var state: String
        public var jobsTotal: Int
        public var jobsDone: Int
        public var deadLetters: Int
        public var seconds: Double?
    }

    public var run: Int
    public var pipeline: String
    public var state: String
    public var error: String?
    public var seconds: Double?
    public var stages: [Stage]
    /// Credits and what enrichment filled; nil when the run did not enrich.
    public var enrichment: Enrichment?

    public struct Enrichment: Codable, Sendable {
        public var creditsSpent: Double
        public var creditBudget: Double?
        public var paidCalls: Int
        public var accountsEnriched: Int
        public var fieldsFilled: Int
        public var notEnrichedBudget: Int

        init?(run: Int, on db: isolated Connection) throws {
            let row = try db.query(RunQueries.enrichmentFigures, run)[0]
            guard try row.decode(0, as: Bool.self) else { return nil }
            (creditsSpent, creditBudget) = (try row.decode(1), try row.decode(2))
            (accountsEnriched, fieldsFilled, notEnrichedBudget, paidCalls) = (try row.decode(3), try row.decode(4), try row.decode(5), try row.decode(6))
        }
    }

    public init(_ status: RunStatus) {
        run = status.id
        pipeline = status.pipeline
        state = status.state
        error = status.error.isEmpty ? nil : status.error
        seconds = status.finishedAt.map { $0.timeIntervalSince(status.createdAt) }
        stages = status.stages.map { stage in
            Stage(
                stage: stage.stage, state: stage.state, jobsTotal: stage.jobsTotal, jobsDone: stage.jobsDone,
                deadLetters: stage.deadLetters,
                seconds: stage.startedAt.flatMap { start in stage.finishedAt.map { $0.timeIntervalSince(start) } })
        }
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
