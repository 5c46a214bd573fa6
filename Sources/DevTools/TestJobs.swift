import Foundation
import JobQueue
import Postgres

/// Job kinds and a pipeline that exercise the queue machinery by itself
/// (tests and `ops/bench/queue`): no-op, effect, sleep, fail N times, crash,
/// fail permanently.
///
/// Pipeline `test`: params `stages` (default 1), `shards` per stage (default
/// 10), `kind` (default `test.effect`), `max_attempts` (default 5),
/// `max_lease_expiries` (default 20), and per-job payload fields `sleep_ms`,
/// `fail_times`, `crash_shard` (integers: a payload where they are not
/// decodes to a permanent `JobPayloadError`) and `reason` (`test.permanent`).
public enum TestJobs {
    public static func register(into registry: inout Registry) {
        registry.register(NoOp())
        registry.register(Effect(kind: "test.effect"))
        registry.register(Effect(kind: "test.sleep"))
        registry.register(Effect(kind: "test.fail"))
        registry.register(Effect(kind: "test.crash"))
        registry.register(Effect(kind: "test.permanent"))
        registry.register(PipelineDefinition(
            name: "test",
            stages: { run in (1...max(1, run.parameter("stages") ?? 1)).map { "s\($0)" } },
            planner: Planner()))
    }

    struct Planner: StagePlanner {
        func jobs(for stage: String, run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
            let shards: Int = run.parameter("shards") ?? 10
            let kind: String = run.parameter("kind") ?? "test.effect"
            let maxAttempts: Int = run.parameter("max_attempts") ?? JobSpec.defaultMaxAttempts
            let maxLeaseExpiries: Int = run.parameter("max_lease_expiries") ?? JobSpec.defaultMaxLeaseExpiries
            let payload = run.params.text
            return (0..<shards).map {
                JobSpec(kind: kind, shard: $0, payload: payload, maxAttempts: maxAttempts, maxLeaseExpiries: maxLeaseExpiries)
            }
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

    /// What `test.permanent` throws: a retry cannot fix it.
    struct InjectedPermanentFailure: PermanentJobError, CustomStringConvertible {
        var reason: String
        var description: String { "injected permanent failure: \(reason)" }
    }

    /// The fields of a test job's payload (the run's params) it acts on.
    struct Payload: Decodable {
        var sleepMs: Int?
        var failTimes: Int?
        var crashShard: Int?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case sleepMs = "sleep_ms", failTimes = "fail_times", crashShard = "crash_shard", reason
        }
    }

    /// Inserts one effect row keyed by (run, stage, shard); optionally sleeps
    /// first, fails the first `fail_times` attempts, or kills the worker
    /// process when it runs shard `crash_shard`; `test.permanent` always
    /// fails with a permanent error.
    struct Effect: JobHandler {
        let kind: String
        var batchSize: Int { kind == "test.effect" ? 200 : 1 }

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let payload = try job.decodePayload(Payload.self)
            if let sleep = payload.sleepMs, sleep > 0 { usleep(useconds_t(sleep) * 1000) }
            if let crash = payload.crashShard, crash == job.shard { kill(getpid(), SIGKILL) }
            if let failures = payload.failTimes, job.attempt <= failures {
                throw InjectedFailure(attempt: job.attempt)
            }
            if kind == "test.permanent" { throw InjectedPermanentFailure(reason: payload.reason ?? "no reason given") }
            try db.query(DevToolsQueries.recordTestEffect, job.runID, job.stage, job.shard, context.workerID)
        }
    }
}
