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
            stages: { run in (1...max(1, try Parameters(run).stages ?? 1)).map { "s\($0)" } },
            planner: Planner()))
    }

    /// The `test` pipeline's run params, typed (the per-job knobs are `Payload`).
    struct Parameters: Decodable {
        var stages: Int?
        var shards: Int?
        var kind: String?
        var maxAttempts: Int?
        var maxLeaseExpiries: Int?

        enum CodingKeys: String, CodingKey {
            case stages, shards, kind, maxAttempts = "max_attempts", maxLeaseExpiries = "max_lease_expiries"
        }

        init(_ run: RunInfo) throws {
            self = try run.params.decode(Parameters.self)
        }
    }

    struct Planner: StagePlanner {
        func jobs(for stage: String, run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
            let params = try Parameters(run)
            let (kind, payload) = (params.kind ?? "test.effect", run.params.text)
            let maxAttempts = params.maxAttempts ?? JobSpec.defaultMaxAttempts
            let maxLeaseExpiries = params.maxLeaseExpiries ?? JobSpec.defaultMaxLeaseExpiries
            return (0..<(params.shards ?? 10)).map {
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
    /// first (reporting its progress), fails the first `fail_times` attempts, or kills the worker
    /// process when it runs shard `crash_shard`; `test.permanent` always
    /// fails with a permanent error.
    struct Effect: JobHandler {
        let kind: String
        var batchSize: Int { kind == "test.effect" ? 200 : 1 }

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let payload = try job.decodePayload(Payload.self)
            if let sleep = payload.sleepMs, sleep > 0 {
                // In tenths, each reported: a long job's progress moves before it ends.
                for tenth in 1...10 {
                    usleep(useconds_t(sleep) * 100)
                    context.progress(job, done: tenth, total: 10)
                }
            }
            if let crash = payload.crashShard, crash == job.shard { kill(getpid(), SIGKILL) }
            if let failures = payload.failTimes, job.attempt <= failures {
                throw InjectedFailure(attempt: job.attempt)
            }
            if kind == "test.permanent" { throw InjectedPermanentFailure(reason: payload.reason ?? "no reason given") }
            try db.query(DevToolsQueries.recordTestEffect, job.runID, job.stage, job.shard, context.workerID)
        }
    }
}
