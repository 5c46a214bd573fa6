import Foundation
import JobQueue
import Postgres

/// Job kinds and a pipeline that exercise the queue machinery by itself
/// (tests and `ops/bench/queue`): no-op, effect, sleep, fail N times, crash.
///
/// Pipeline `test`: params `stages` (default 1), `shards` per stage (default
/// 10), `kind` (default `test.effect`), `max_attempts` (default 5), and
/// per-job payload fields `sleep_ms`, `fail_times`, `crash_shard`.
enum TestJobs {
    static func register(into registry: inout Registry) {
        registry.register(NoOp())
        registry.register(Effect(kind: "test.effect"))
        registry.register(Effect(kind: "test.sleep"))
        registry.register(Effect(kind: "test.fail"))
        registry.register(Effect(kind: "test.crash"))
        registry.register(PipelineDefinition(
            name: "test",
            stages: { run in (1...max(1, run.parameter("stages") ?? 1)).map { "s\($0)" } },
            planner: Planner()))
    }

    struct Planner: StagePlanner {
        func jobs(for stage: String, run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
            let shards: Int = run.parameter("shards") ?? 10
            let kind: String = run.parameter("kind") ?? "test.effect"
            let maxAttempts: Int = run.parameter("max_attempts") ?? 5
            let payload = run.params.text
            return (0..<shards).map { JobSpec(kind: kind, shard: $0, payload: payload, maxAttempts: maxAttempts) }
        }
    }

    struct NoOp: JobHandler {
        let kind = "test.noop"
        let batchSize = 1000
        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {}
    }

    struct InjectedFailure: Error, CustomStringConvertible {
        var attempt: Int
        var description: String { "injected failure on attempt \(attempt)" }
    }

    /// Inserts one effect row keyed by (run, stage, shard); optionally sleeps
    /// first, fails the first `fail_times` attempts, or kills the worker
    /// process when it runs shard `crash_shard`.
    struct Effect: JobHandler {
        let kind: String
        var batchSize: Int { kind == "test.effect" ? 200 : 1 }

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            if let sleep: Int = job.parameter("sleep_ms"), sleep > 0 { usleep(useconds_t(sleep) * 1000) }
            if let crash: Int = job.parameter("crash_shard"), crash == job.shard { kill(getpid(), SIGKILL) }
            if let failures: Int = job.parameter("fail_times"), job.attempt <= failures {
                throw InjectedFailure(attempt: job.attempt)
            }
            try db.query(PipelineQueries.recordTestEffect, job.runID, job.stage, job.shard, context.workerID)
        }
    }
}

extension RunInfo {
    /// A run parameter from its params JSON.
    public func parameter<T: Decodable>(_ key: String, as type: T.Type = T.self) -> T? {
        params.field(key, as: type)
    }
}
