import Foundation
import JobQueue
import Postgres
import Testing

@Suite("Queue operations on a real PostgreSQL")
struct QueueTests {
    func makeRun(_ db: Connection, stage: String = "s1") async throws -> Int {
        try await db.transaction { db in
            try Runs(queue: JobQueue()).create(pipeline: "test", params: PostgresJSON("{}"), stages: [stage], on: db)
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

    @Test("a lease that expires on its last attempt makes a dead letter (poison job)")
    func poisonJob() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db)
            let queue = JobQueue()
            try await queue.enqueue([JobSpec(kind: "a", shard: 0, maxAttempts: 2)], run: run, stage: "s1", on: db)
            for expected in [(1, 0), (0, 1)] {
                #expect(try await queue.claim(limit: 1, owner: "doomed", on: db).count == 1)
                try await db.execute("UPDATE jobs SET lease_expires_at = now() - interval '1 second'")
                #expect(try await queue.reapExpired(on: db) == expected)
            }
            let letters = try await queue.deadLetters(on: db)
            #expect(letters.count == 1)
            #expect(letters.first?.lastError.contains("lease expired") == true)
            #expect(letters.first?.attempts == 2)
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
