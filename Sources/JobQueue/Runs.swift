import Foundation
import Postgres

/// A run being driven through its stages.
public struct RunInfo: Sendable {
    public var id: Int
    public var pipeline: String
    public var params: PostgresJSON

    public init(id: Int, pipeline: String, params: PostgresJSON) {
        self.id = id
        self.pipeline = pipeline
        self.params = params
    }
}

/// Produces the shard jobs of a stage when the stage starts (pluggable: each
/// pipeline plans its own stages).
public protocol StagePlanner: Sendable {
    func jobs(for stage: String, run: RunInfo, on db: isolated Connection) throws -> [JobSpec]
}

/// What one call to `Runs.advance` did.
public enum RunStep: Sendable, Equatable {
    case started(stage: String, jobs: Int)
    /// The stage still has unfinished jobs.
    case waiting(stage: String)
    case finished
    case failed(stage: String, error: String)
    case notRunning
}

/// One stage of a run, for status and reports.
public struct StageStatus: Sendable {
    public var position: Int
    public var stage: String
    public var state: StageState
    public var jobsTotal: Int
    public var jobsDone: Int
    public var deadLetters: Int
    /// The running jobs' reported progress, summed (each 0 to 1).
    public var runningProgress: Double = 0
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The finished jobs' seconds, summed (`job_timings`): what the stage cost.
    public var workSeconds: Double = 0
    /// The longest finished job: no number of workers makes the stage shorter.
    public var criticalPathSeconds: Double = 0

    /// The share of the stage's work done: finished jobs, and the reported
    /// part of running ones.
    public var share: Double {
        if state == .done { return 1 }
        guard jobsTotal > 0 else { return 0 }
        return min(1, (Double(jobsDone) + runningProgress) / Double(jobsTotal))
    }
}

public struct RunStatus: Sendable {
    public var id: Int
    public var pipeline: String
    public var state: RunState
    public var error: String
    public var createdAt: Date
    public var finishedAt: Date?
    public var stages: [StageStatus]
}

/// Runs and their stage barriers: a stage's jobs are enqueued only when every
/// job of the previous stage is done.
public struct Runs: Sendable {
    public let queue: JobQueue

    public init(queue: JobQueue) { self.queue = queue }

    public func create(pipeline: String, params: PostgresJSON, stages: [String], on db: isolated Connection) throws -> Int {
        let id: Int = try db.query(QueueQueries.createRun, pipeline, params.text)[0].decode(Int.self)
        try db.query(QueueQueries.createStages, id, stages)
        return id
    }

    public func active(on db: isolated Connection) throws -> [RunInfo] {
        try db.query(QueueQueries.activeRuns).map { row throws(PostgresError) in
            let (id, pipeline, params) = try row.decode(Int.self, String.self, String.self)
            return RunInfo(id: id, pipeline: pipeline, params: PostgresJSON(params))
        }
    }

    /// Moves `run` forward as far as it can go now, in one transaction: starts
    /// the next stage (planning and enqueuing its jobs) once the current one
    /// is done, fails the run when a stage ends with dead letters, finishes it
    /// after the last stage. Safe to call repeatedly and from a restarted
    /// coordinator: a started stage is never enqueued twice.
    public func advance(_ run: RunInfo, planner: any StagePlanner, on db: isolated Connection) throws -> RunStep {
        try db.transaction { db in
            guard try db.query(QueueQueries.lockRun, run.id).first?.decode("state", as: RunState.self) == .running else {
                return .notRunning
            }
            while true {
                guard let next = try db.query(QueueQueries.nextStage, run.id).first else {
                    try db.query(QueueQueries.finishRun, run.id, RunState.done, String?.none)
                    try db.query(QueueQueries.notifyRunFinished, String(run.id))
                    return .finished
                }
                let position: Int = try next.decode("position")
                let stage: String = try next.decode("stage")
                let state: StageState = try next.decode("state")
                if state == .pending {
                    let jobs: [JobSpec]
                    do {
                        jobs = try planner.jobs(for: stage, run: run, on: db)
                    } catch let error as PostgresError {
                        throw error  // the transaction is gone: a lost connection is retried, an SQL error shows in the log
                    } catch {
                        // A planner that cannot plan (a bad configuration, an unknown stage) never
                        // will: the run fails with its message instead of staying `running`.
                        let message = "stage \(stage) could not be planned: \(error)"
                        try db.query(QueueQueries.failStage, run.id, position)
                        try db.query(QueueQueries.finishRun, run.id, RunState.failed, message)
                        try db.query(QueueQueries.notifyRunFinished, String(run.id))
                        return .failed(stage: stage, error: message)
                    }
                    try queue.enqueue(jobs, run: run.id, stage: stage, on: db)
                    try db.query(QueueQueries.startStage, run.id, position, jobs.count)
                    if jobs.isEmpty {
                        try db.query(QueueQueries.finishStage, run.id, position, 0)
                        continue
                    }
                    return .started(stage: stage, jobs: jobs.count)
                }
                let progress = try db.query(QueueQueries.stageProgress, run.id, stage)[0]
                let open: Int = try progress.decode("open_jobs")
                let dead: Int = try progress.decode("dead_letters")
                if open > 0 { return .waiting(stage: stage) }
                if dead > 0 {
                    let error = "stage \(stage): \(dead) job(s) failed for good; first error: \(try progress.decode("first_error", as: String?.self) ?? "unknown")"
                    try db.query(QueueQueries.failStage, run.id, position)
                    try db.query(QueueQueries.finishRun, run.id, RunState.failed, error)
                    try db.query(QueueQueries.notifyRunFinished, String(run.id))
                    return .failed(stage: stage, error: error)
                }
                let total: Int = try next.decode("jobs_total")
                try db.query(QueueQueries.finishStage, run.id, position, total)
            }
        }
    }

    public func status(_ run: Int, on db: isolated Connection) throws -> RunStatus? {
        let rows = try db.query(QueueQueries.runSummary, run)
        guard let first = rows.first else { return nil }
        var status = RunStatus(
            id: try first.decode("id"), pipeline: try first.decode("pipeline"), state: try first.decode("run_state"),
            error: try first.decode("error"), createdAt: try first.decode("created_at"), finishedAt: try first.decode("run_finished_at"),
            stages: [])
        for row in rows {
            let state: StageState = try row.decode("stage_state")
            let total: Int = try row.decode("jobs_total")
            let open: Int = try row.decode("open_jobs")
            let dead: Int = try row.decode("dead_letters")
            status.stages.append(StageStatus(
                position: try row.decode("position"), stage: try row.decode("stage"), state: state,
                jobsTotal: total, jobsDone: state == .pending ? 0 : total - open - dead, deadLetters: dead,
                runningProgress: try row.decode("running_progress"), startedAt: try row.decode("started_at"),
                finishedAt: try row.decode("finished_at"), workSeconds: try row.decode("work_seconds"),
                criticalPathSeconds: try row.decode("critical_path_seconds")))
        }
        return status
    }

    public func recent(limit: Int, on db: isolated Connection) throws -> [(id: Int, pipeline: String, state: RunState, error: String)] {
        try db.query(QueueQueries.recentRuns, limit).map { row throws(PostgresError) in
            try row.decode(Int.self, String.self, RunState.self, String.self)
        }
    }

    /// A run's state and error, cheaply (for polling).
    public func state(_ run: Int, on db: isolated Connection) throws -> (state: RunState, error: String)? {
        guard let row = try db.query(QueueQueries.runState, run).first else { return nil }
        let (state, error) = try row.decode(RunState.self, String.self)
        return (state, error)
    }

    /// Leases one finished, unreported run to the reporter for `leaseSeconds`;
    /// `markReported` ends it. A run whose reporter died is leased again once
    /// the lease ends.
    public func claimUnreported(leaseSeconds: Double = 900, on db: isolated Connection) throws -> (id: Int, pipeline: String, state: RunState, error: String)? {
        guard let row = try db.query(QueueQueries.claimUnreportedRun, leaseSeconds).first else { return nil }
        let (id, pipeline, state, error) = try row.decode(Int.self, String.self, RunState.self, String.self)
        return (id, pipeline, state, error)
    }

    /// The run's reports are complete.
    public func markReported(_ run: Int, on db: isolated Connection) throws {
        try db.query(QueueQueries.markReported, run)
    }

    /// Refreshes the planner's statistics after a large stage was enqueued
    /// (fresh rows without statistics make the claim query scan).
    public func refreshStatistics(on db: isolated Connection) throws {
        try db.execute(QueueQueries.analyzeJobs)
    }

    /// Takes the coordinator's leadership lock on this session if free.
    public func tryLeadership(on db: isolated Connection) throws -> Bool {
        try db.query(QueueQueries.tryLeadership, QueueQueries.coordinatorLockKey)[0].decode(Bool.self)
    }
}
