import Foundation
import JobQueue
import MarketMapCore
import Postgres

/// The JSON form of a run's status.
public struct RunSummary: Codable, Sendable {
    public struct Stage: Codable, Sendable {
        public var stage: String
        public var state: StageState
        public var jobsTotal: Int
        public var jobsDone: Int
        public var deadLetters: Int
        /// Wall time, first job claimed to last job done.
        public var seconds: Double?
        /// The finished jobs' seconds, summed: what the stage cost on all workers together.
        public var workSeconds: Double
        /// The longest job: the stage takes at least this long however many workers run it.
        public var criticalPathSeconds: Double
    }

    public var run: Int
    public var pipeline: String
    public var state: RunState
    public var error: String?
    public var seconds: Double?
    public var stages: [Stage]
    /// Credits and what enrichment filled; nil when the run did not enrich.
    public var enrichment: Enrichment?
    /// What the people stage planned, bought and found; nil when the run has none.
    public var people: PeopleSummary?
    /// What the run's exports changed and the tier movers; nil when it staged no files.
    public var changes: Changes?
    /// Open review items and the stewards' decisions in effect.
    public var review: ReviewSummary?

    public struct Changes: Codable, Sendable {
        public var recordsNew: Int
        public var recordsChanged: Int
        /// Unchanged records: skipped before parsing (same raw bytes) or by content hash.
        public var recordsUnchanged: Int
        /// Records a full export no longer held (kept in removed_records).
        public var recordsRemoved: Int
        /// Rows the exports had (headers excluded): new + changed + unchanged + rejected.
        public var recordsRead: Int
        /// Rows rejected, with line and reason in rejected_rows.
        public var recordsRejected: Int
        /// Tier movers per change (up, down, excluded, included, new, removed, merged); empty before the report.
        public var tierMovers: [String: Int]

        public init?(run: Int, on db: isolated Connection) throws {
            let row = try db.query(RunQueries.changes, run)[0]
            let (new, changed, unchanged, removed, files, read, rejected) = try row.decode(Int.self, Int.self, Int.self, Int.self, Int.self, Int.self, Int.self)
            guard files > 0 else { return nil }
            (recordsNew, recordsChanged, recordsUnchanged, recordsRemoved) = (new, changed, unchanged, removed)
            (recordsRead, recordsRejected) = (read, rejected)
            tierMovers = [:]
            for mover in try db.query(RunQueries.tierMoverCounts, run) {
                let (change, count) = try mover.decode(String.self, Int.self)
                tierMovers[change] = count
            }
        }

        /// "1,031 new, 819 changed, 101,729 unchanged, 103 removed records; tier movers: 69 up, 3 down, 52 new, 55 removed"
        public var text: String {
            let n = RunMonitor.grouped
            var text = "\(n(recordsNew)) new, \(n(recordsChanged)) changed, \(n(recordsUnchanged)) unchanged, \(n(recordsRejected)) rejected, \(n(recordsRemoved)) removed records"
            let order = TierMove.Change.allCases.map(\.rawValue)
            let movers = tierMovers.sorted { (order.firstIndex(of: $0.key) ?? 99) < (order.firstIndex(of: $1.key) ?? 99) }
            text += "; tier movers: " + (movers.isEmpty ? "none" : movers.map { "\(n($0.value)) \($0.key)" }.joined(separator: ", "))
            return text
        }
    }

    public struct Enrichment: Codable, Sendable {
        public var creditsSpent: Double
        public var creditBudget: Double?
        public var paidCalls: Int
        public var accountsEnriched: Int
        public var fieldsFilled: Int
        public var notEnrichedBudget: Int

        init?(run: Int, on db: isolated Connection) throws {
            let row = try db.query(RunQueries.enrichmentFigures, run)[0]
            guard try row.decode("configured", as: Bool.self) else { return nil }
            (creditsSpent, creditBudget) = (try row.decode("spent"), try row.decode("budget"))
            (accountsEnriched, fieldsFilled, notEnrichedBudget, paidCalls) = (
                try row.decode("enriched"), try row.decode("fields"), try row.decode("not_enriched_budget"), try row.decode("paid_calls"))
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
                seconds: stage.startedAt.flatMap { start in stage.finishedAt.map { $0.timeIntervalSince(start) } },
                workSeconds: stage.workSeconds, criticalPathSeconds: stage.criticalPathSeconds)
        }
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
