import Foundation
import JobQueue
import Postgres
import TestSupport
import Testing

@Suite("Queue operations on a real PostgreSQL")
struct QueueTests {
    func makeRun(_ db: Connection, stage: String = "s1") async throws -> Int {
        try await db.transaction { db in
            try Runs(queue: JobQueue()).create(pipeline: "test", params: PostgresJSON("{}"), stages: [stage], on: db)
        }
    }

    struct UnplannableStage: StagePlanner {
        struct Unplannable: Error, CustomStringConvertible { var description: String { "the configuration has no `icp` section" } }
        func jobs(for stage: String, run: RunInfo, on db: isolated Connection) throws -> [JobSpec] { throw Unplannable() }
    }

    @Test("a stage whose planner throws fails the run with the planner's message instead of leaving it running")
    func unplannableStage() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let runs = Runs(queue: JobQueue())
            let step = try await runs.advance(RunInfo(id: run, pipeline: "test", params: PostgresJSON("{}")), planner: UnplannableStage(), on: db)
            #expect(step == .failed(stage: "s1", error: "stage s1 could not be planned: the configuration has no `icp` section"))
            let status = try #require(try await runs.status(run, on: db))
            #expect(status.state == .failed && status.error.contains("no `icp` section"))
            #expect(status.stages.map(\.state) == [.failed])
            #expect(try await runs.active(on: db).isEmpty)
        }
    }

    @Test("completing jobs keeps their timings in the same statement: a stage's work and critical path; purging the run removes them")
    func jobTimings() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let queue = JobQueue()
            try await queue.enqueue((0..<3).map { JobSpec(kind: "a", shard: $0) }, run: run, stage: "s1", on: db)
            let claimed = try await queue.claim(limit: 3, owner: "w7", on: db).sorted { $0.shard < $1.shard }
            #expect(claimed.count == 3)
            try await db.transaction { db in try queue.complete(Array(claimed.prefix(2)), secondsEach: 0.25, on: db) }
            try await db.execute("SELECT pg_sleep(0.05)")
            try await db.transaction { db in try queue.complete([claimed[2]], on: db) }  // timed since its claim
            let rows = try await db.query("""
                SELECT shard, kind, worker, seconds, attempts, finished_at - started_at = make_interval(secs => seconds) AS consistent,
                       claimed_at <= started_at + interval '1 millisecond' AS claimed_first
                FROM job_timings WHERE run_id = $1 AND stage = 's1' ORDER BY shard
                """, run)
            #expect(try rows.map { try $0.decode("shard", as: Int.self) } == [0, 1, 2])
            #expect(try rows.allSatisfy { try $0.decode("worker", as: String.self) == "w7" && $0.decode("kind", as: String.self) == "a" })
            #expect(try rows.allSatisfy { try $0.decode("attempts", as: Int.self) == 1 && $0.decode("consistent", as: Bool.self) })
            #expect(try rows[2].decode("claimed_first", as: Bool.self), "timed since its claim, it started when it was claimed")
            let last = try rows[2].decode("seconds", as: Double.self)
            #expect(last >= 0.05, "the third job's seconds run from its claim")
            #expect(try rows.prefix(2).allSatisfy { try $0.decode("seconds", as: Double.self) == 0.25 })
            let stage = try #require(try await Runs(queue: queue).status(run, on: db)?.stages.first)
            #expect(abs(stage.workSeconds - (0.5 + last)) < 1e-9)
            #expect(stage.criticalPathSeconds == max(0.25, last))
            // A completion whose claim is gone writes no timing.
            await #expect(throws: QueueError.self) { try await db.transaction { db in try queue.complete([claimed[0]], secondsEach: 1, on: db) } }
            #expect(try await db.query("SELECT count(*) FROM job_timings")[0].decode(0, as: Int.self) == 3)
            // Pruned with the run.
            try await db.execute("UPDATE runs SET state = 'done', finished_at = now() - interval '2 hours'")
            let (runs, _) = try await queue.purge(olderThanSeconds: 3600, on: db)
            #expect(runs == 1)
            #expect(try await db.query("SELECT count(*) FROM job_timings")[0].decode(0, as: Int.self) == 0)
        }
    }

    @Test("enqueue is idempotent per (run, stage, shard)")
    func idempotentEnqueue() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let queue = JobQueue()
            let jobs = (0..<100).map { JobSpec(kind: "test.noop", shard: $0) }
            #expect(try await queue.enqueue(jobs, run: run, stage: "s1", on: db) == 100)
            #expect(try await queue.enqueue(jobs + [JobSpec(kind: "test.noop", shard: 100)], run: run, stage: "s1", on: db) == 1)
            #expect(try await db.query("SELECT count(*) FROM jobs")[0].decode(0, as: Int.self) == 101)
        }
    }

    @Test("claims take the highest priority first and respect a per-kind limit")
    func priorityAndLimit() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let queue = JobQueue()
            try await queue.enqueue(
                [JobSpec(kind: "a", shard: 0, priority: 0), JobSpec(kind: "a", shard: 1, priority: 5),
                 JobSpec(kind: "b", shard: 2, priority: 1), JobSpec(kind: "b", shard: 3, priority: 9)],
                run: run, stage: "s1", on: db)
            try await queue.setConcurrencyLimit(kind: "b", maxRunning: 1, on: db)
            let first = try await queue.claim(limit: 1, owner: "t", on: db)
            #expect(first.map(\.shard) == [3])
            let rest = try await queue.claim(limit: 10, owner: "t", on: db)
            #expect(rest.map(\.shard) == [1, 0], "b is at its limit of 1 running")
            try await db.transaction { db in try queue.complete(first, on: db) }
            #expect(try await queue.claim(limit: 10, owner: "t", on: db).map(\.shard) == [2])
        }
    }

    @Test("a completion after the lease was lost rolls back the caller's results")
    func leaseLost() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let queue = JobQueue(leaseSeconds: 1)
            try await queue.enqueue([JobSpec(kind: "a", shard: 0)], run: run, stage: "s1", on: db)
            let stale = try await queue.claim(limit: 1, owner: "slow", on: db)
            try await db.execute("UPDATE jobs SET lease_expires_at = now() - interval '1 second'")
            #expect(try await queue.reapExpired(on: db) == (1, 0))
            let fresh = try await queue.claim(limit: 1, owner: "fast", on: db)
            #expect(fresh.count == 1)
            try await db.execute("CREATE TABLE results (job int8)")
            await #expect(throws: QueueError.self) {
                try await db.transaction { db in
                    try db.query("INSERT INTO results VALUES ($1)", stale[0].id)
                    try queue.complete(stale, on: db)
                }
            }
            #expect(try await db.query("SELECT count(*) FROM results")[0].decode(0, as: Int.self) == 0)
            try await db.transaction { db in
                try db.query("INSERT INTO results VALUES ($1)", fresh[0].id)
                try queue.complete(fresh, on: db)
            }
            #expect(try await db.query("SELECT count(*) FROM results")[0].decode(0, as: Int.self) == 1)
            #expect(try await db.query("SELECT count(*) FROM jobs")[0].decode(0, as: Int.self) == 0)
        }
    }

    /// Expires every running lease now, as if its worker had been killed.
    func expireLeases(_ db: Connection) async throws {
        try await db.execute("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE state = 'running'")
    }

    // Poison job, under the failure policy of sql/0015: a lost worker no longer
    // charges an attempt (that used to make this job dead after max_attempts
    // expiries), so the job is protected by its own, separate limit:
    // max_lease_expiries. max_attempts is 2 here and the job still survives
    // two lost workers, never charged an attempt, and dies on the third.
    @Test("a lease that keeps expiring is requeued without charging an attempt; at max_lease_expiries it is a dead letter (poison job)")
    func poisonJob() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let queue = JobQueue()
            try await queue.enqueue([JobSpec(kind: "a", shard: 0, maxAttempts: 2, maxLeaseExpiries: 3)], run: run, stage: "s1", on: db)
            for (lost, expected) in [(0, (1, 0)), (1, (1, 0)), (2, (0, 1))] {
                let claimed = try await queue.claim(limit: 1, owner: "doomed", on: db)
                #expect(claimed.map(\.attempt) == [1], "no attempt charged for \(lost) lost worker(s)")
                #expect(claimed.map(\.leaseExpiries) == [lost])
                try await expireLeases(db)
                #expect(try await queue.reapExpired(on: db) == expected)
            }
            #expect(try await db.query("SELECT count(*) FROM jobs")[0].decode(0, as: Int.self) == 0)
            let letters = try await queue.deadLetters(on: db)
            #expect(letters.count == 1)
            let letter = try #require(letters.first)
            #expect(letter.cause == .leaseExpiries)
            #expect(!letter.isPermanent)
            #expect((letter.attempts, letter.leaseExpiries, letter.maxLeaseExpiries) == (0, 3, 3))
            #expect(letter.lastError.hasPrefix("worker lost 3 times: the lease expired each time (last worker doomed)"), "\(letter.lastError)")
            let history = try JSONSerialization.jsonObject(with: Data(letter.history.utf8)) as? [[String: Any]] ?? []
            #expect(history.compactMap { $0["lease_expiry"] as? Int } == [1, 2, 3])
        }
    }

    @Test("failures charge attempts, lost workers and releases do not; the failure that uses up max_attempts makes a dead letter")
    func attemptsAndLeaseExpiriesApart() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let queue = JobQueue(backoff: Backoff(baseSeconds: 0.001, capSeconds: 0.001))
            try await queue.enqueue([JobSpec(kind: "a", shard: 0, maxAttempts: 2)], run: run, stage: "s1", on: db)
            let first = try #require(try await queue.claim(limit: 1, owner: "w", on: db).first)
            #expect((first.attempt, first.leaseExpiries, first.maxLeaseExpiries) == (1, 0, JobSpec.defaultMaxLeaseExpiries))
            guard case .retry = try await queue.fail(first, reason: "boom", on: db) else {
                Issue.record("the first of 2 attempts is retried")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
            let second = try #require(try await queue.claim(limit: 1, owner: "w", on: db).first)
            #expect((second.attempt, second.leaseExpiries) == (2, 0), "one failure charged one attempt")
            try await expireLeases(db)
            #expect(try await queue.reapExpired(on: db) == (1, 0))
            let third = try #require(try await queue.claim(limit: 1, owner: "w", on: db).first)
            #expect((third.attempt, third.leaseExpiries) == (2, 1), "the lost worker charged a lease expiry, not an attempt")
            #expect(try await queue.release([third.claim], on: db) == 1)
            let fourth = try #require(try await queue.claim(limit: 1, owner: "w", on: db).first)
            #expect((fourth.attempt, fourth.leaseExpiries) == (2, 1), "a release charges nothing")
            // A stale claim cannot fail the job.
            #expect(try await queue.fail(third, reason: "late", on: db) == .leaseLost)
            #expect(try await queue.fail(fourth, reason: "boom again", on: db) == .dead(.attempts))
            let letter = try #require(try await queue.deadLetters(on: db).first)
            #expect((letter.cause, letter.attempts, letter.maxAttempts, letter.leaseExpiries) == (.attempts, 2, 2, 1))
            #expect(letter.lastError == "boom again")
        }
    }

    struct Misconfigured: PermanentJobError, CustomStringConvertible {
        var description: String { "config.yaml: icp.products[0]: required key is missing" }
    }

    struct Flaky: Error {}

    @Test("a permanent error makes a dead letter on its first attempt, with its reason; `queue retry` still brings it back")
    func permanentError() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let queue = JobQueue()
            try await queue.enqueue(
                [JobSpec(kind: "a", shard: 0, maxAttempts: 5, maxLeaseExpiries: 7), JobSpec(kind: "a", shard: 1, maxAttempts: 5)],
                run: run, stage: "s1", on: db)
            let jobs = try await queue.claim(limit: 2, owner: "w", on: db)
            #expect(jobs.count == 2)
            #expect(try await queue.fail(jobs[0], error: Misconfigured(), on: db) == .dead(.permanent))
            guard case .retry = try await queue.fail(jobs[1], error: Flaky(), on: db) else {
                Issue.record("a transient error is retried")
                return
            }
            #expect(try await db.query("SELECT shard FROM jobs")[0].decode(0, as: Int.self) == 1)
            let letter = try #require(try await queue.deadLetters(on: db).first)
            #expect(letter.isPermanent)
            #expect((letter.id, letter.attempts, letter.maxAttempts, letter.leaseExpiries) == (jobs[0].id, 1, 5, 0))
            #expect(letter.lastError == "config.yaml: icp.products[0]: required key is missing")
            let history = try JSONSerialization.jsonObject(with: Data(letter.history.utf8)) as? [[String: Any]] ?? []
            #expect(history.count == 1)
            #expect(history.first?["permanent"] as? Bool == true)
            #expect(history.first?["retry_in_s"] == nil, "a dead letter is not scheduled for a retry")
            // By hand: back with fresh attempts and lease expiries, the limits kept.
            #expect(try await db.transaction { db in try queue.retryDeadLetters(ids: [jobs[0].id], on: db) } == 1)
            let revived = try await db.query(
                "SELECT attempts, max_attempts, lease_expiries, max_lease_expiries FROM jobs WHERE id = $1", jobs[0].id)
            #expect(try revived.map { [try $0.decode(0, as: Int.self), try $0.decode(1), try $0.decode(2), try $0.decode(3)] } == [[0, 5, 0, 7]])
            #expect(try await queue.deadLetters(on: db).isEmpty)
        }
    }

    struct LineRange: Decodable {
        var file: Int
        var from: Int
    }

    @Test("a payload that does not decode is a permanent JobPayloadError naming the field")
    func payloadError() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let queue = JobQueue()
            try await queue.enqueue(
                [JobSpec(kind: "a", shard: 0, payload: #"{"file": "seven", "from": 1}"#), JobSpec(kind: "a", shard: 1, payload: #"{"file": 7}"#),
                 JobSpec(kind: "a", shard: 2, payload: #"{"file": 7, "from": 1, "extra": true}"#)],
                run: run, stage: "s1", on: db)
            let jobs = try await queue.claim(limit: 3, owner: "w", on: db).sorted { $0.shard < $1.shard }
            let wrongType = try #require(throws: JobPayloadError.self) { try jobs[0].decodePayload(LineRange.self) }
            #expect(JobQueue.isPermanent(wrongType))
            #expect("\(wrongType)".contains("field file: expected Int"), "\(wrongType)")
            #expect("\(wrongType)".contains("job \(jobs[0].id) (a)"), "\(wrongType)")
            let missing = #expect(throws: JobPayloadError.self, "a missing field must not decode") { try jobs[1].decodePayload(LineRange.self) }
            #expect(missing.map { "\($0)".contains("field from is missing") } == true, "\(String(describing: missing))")
            #expect(try jobs[2].decodePayload(LineRange.self).file == 7)
            #expect(try await queue.fail(jobs[0], error: JobPayloadError(job: jobs[0].id, kind: "a", problem: "x"), on: db) == .dead(.permanent))
            #expect(!JobQueue.isPermanent(Flaky()))
            #expect(JobQueue.isPermanent(PermanentFailure(Flaky())))
        }
    }

    @Test("backoff doubles per attempt up to the cap; jitter stays within [50 %, 100 %]")
    func backoff() {
        let backoff = Backoff(baseSeconds: 2, capSeconds: 60)
        #expect((1...7).map { backoff.ceiling(attempt: $0) } == [2, 4, 8, 16, 32, 60, 60])
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...10 {
            for _ in 0..<50 {
                let delay = backoff.delay(attempt: attempt, using: &generator)
                #expect(delay >= backoff.ceiling(attempt: attempt) / 2 && delay <= backoff.ceiling(attempt: attempt))
            }
        }
        #expect(Backoff().ceiling(attempt: 1000) == 600)
    }
}
