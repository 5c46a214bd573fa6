import Foundation
import Logging
import Metrics
import Postgres

/// The PostgreSQL job queue. Every operation takes `isolated Connection`, so it
/// runs synchronously on that connection and composes into the caller's
/// transaction: a handler's result rows and `complete` commit together
/// (exactly-once effects).
public struct JobQueue: Sendable {
    /// How long a claim lasts without a heartbeat.
    public var leaseSeconds: Double
    public var backoff: Backoff

    public init(leaseSeconds: Double = 30, backoff: Backoff = Backoff()) {
        self.leaseSeconds = leaseSeconds
        self.backoff = backoff
    }

    // MARK: producing

    /// Enqueues many jobs in one statement. Idempotent per (run, stage, shard):
    /// a coordinator that restarts and enqueues again creates no duplicates.
    /// Returns how many were new. Wakes listening workers at commit.
    @discardableResult
    public func enqueue(_ jobs: [JobSpec], run: Int, stage: String, on db: isolated Connection) throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        let inserted = try db.query(
            QueueQueries.enqueue, jobs.map(\.kind), run, stage, jobs.map(\.shard), jobs.map(\.payload),
            jobs.map(\.priority), jobs.map(\.maxAttempts)
        ).affectedRows ?? 0
        try db.query(QueueQueries.wakeWorkers, stage)
        return inserted
    }

    // MARK: consuming

    /// Claims up to `limit` runnable jobs (`FOR UPDATE SKIP LOCKED`), highest
    /// priority first, respecting per-kind limits; sets a lease for `owner`.
    public func claim(limit: Int, owner: String, kinds: [String]? = nil, on db: isolated Connection) throws -> [ClaimedJob] {
        let rows = try db.query(QueueQueries.claim, limit, owner, kinds, leaseSeconds)
        let jobs = try rows.map { row throws(PostgresError) in try ClaimedJob(row: row) }
        for (kind, count) in Dictionary(grouping: jobs, by: \.kind).mapValues(\.count) {
            Counter(label: "marketmap_jobs_claimed_total", dimensions: [("kind", kind)]).increment(by: count)
        }
        return jobs
    }

    /// Extends the leases of `claims`; returns the claim ids still held.
    public func heartbeat(_ claims: [Claim], on db: isolated Connection) throws -> Set<String> {
        guard !claims.isEmpty else { return [] }
        let rows = try db.query(QueueQueries.heartbeat, claims.map(\.job), claims.map(\.id), leaseSeconds)
        return Set(try rows.map { row throws(PostgresError) in try row.decode(0, as: String.self) })
    }

    /// Completes (deletes) jobs inside the caller's transaction, so they
    /// commit with the handler's results. Throws `leaseLost` if any claim is
    /// no longer current; the caller must then roll back.
    public func complete(_ jobs: [ClaimedJob], on db: isolated Connection) throws {
        guard !jobs.isEmpty else { return }
        let completed = try db.query(QueueQueries.complete, jobs.map(\.id), jobs.map(\.claimID)).affectedRows ?? 0
        guard completed == jobs.count else { throw QueueError.leaseLost(expected: jobs.count, completed: completed) }
        for (kind, count) in Dictionary(grouping: jobs, by: \.kind).mapValues(\.count) {
            Counter(label: "marketmap_jobs_completed_total", dimensions: [("kind", kind)]).increment(by: count)
        }
    }

    /// Records a failure: back off and retry, or after `max_attempts` move the
    /// job to the dead letters with its error history.
    public func fail(_ job: ClaimedJob, error: String, on db: isolated Connection) throws -> FailureOutcome {
        let delay = backoff.delay(attempt: job.attempt)
        let rows = try db.query(QueueQueries.recordFailure, job.claimID, String(error.prefix(4000)), delay, job.id)
        guard let row = rows.first else { return .leaseLost }
        Counter(label: "marketmap_jobs_failed_total", dimensions: [("kind", job.kind)]).increment()
        let attempts: Int = try row.decode(1)
        let maxAttempts: Int = try row.decode(2)
        if attempts >= maxAttempts {
            try db.query(QueueQueries.moveToDeadLetters, [job.id])
            Counter(label: "marketmap_jobs_dead_total", dimensions: [("kind", job.kind)]).increment()
            return .dead
        }
        return .retry(afterSeconds: delay)
    }

    /// Gives claims back untouched (shutdown, lost connection): the attempt
    /// does not count.
    @discardableResult
    public func release(_ claims: [Claim], on db: isolated Connection) throws -> Int {
        guard !claims.isEmpty else { return 0 }
        return try db.query(QueueQueries.release, claims.map(\.job), claims.map(\.id)).affectedRows ?? 0
    }

    /// Returns jobs whose lease expired to the queue; those that used up their
    /// attempts (a poison job that crashes every worker) become dead letters.
    public func reapExpired(on db: isolated Connection) throws -> (requeued: Int, dead: Int) {
        let rows = try db.query(QueueQueries.reapExpired)
        var exhausted: [Int] = []
        for row in rows where try row.decode(1, as: Int.self) >= row.decode(2, as: Int.self) {
            exhausted.append(try row.decode(0))
        }
        if !exhausted.isEmpty { try db.query(QueueQueries.moveToDeadLetters, exhausted) }
        return (rows.count - exhausted.count, exhausted.count)
    }

    // MARK: operating

    /// Moves dead letters back to the queue (fresh attempts) by id, by run, or
    /// all; re-opens their runs. Returns how many jobs came back.
    @discardableResult
    public func retryDeadLetters(ids: [Int] = [], runs: [Int] = [], all: Bool = false, on db: isolated Connection) throws -> Int {
        let revived = try db.query(QueueQueries.retryDeadLetters, ids, runs, all)
        var reopened = Set<String>()
        for row in revived {
            let run: Int = try row.decode(0)
            let stage: String = try row.decode(1)
            guard reopened.insert("\(run)/\(stage)").inserted else { continue }
            try db.query(QueueQueries.reopenRun, run)
            try db.query(QueueQueries.reopenStage, run, stage)
        }
        if revived.count > 0 { try db.query(QueueQueries.wakeWorkers, "retry") }
        return revived.count
    }

    public func stats(on db: isolated Connection) throws -> [QueueStat] {
        try db.query(QueueQueries.stats).map { row throws(PostgresError) in
            QueueStat(kind: try row.decode(0), state: try row.decode(1), count: try row.decode(2), oldestAgeSeconds: try row.decode(3))
        }
    }

    public func deadLetters(run: Int? = nil, limit: Int = 100, on db: isolated Connection) throws -> [DeadLetter] {
        try db.query(QueueQueries.deadLetters, run, limit).map { row throws(PostgresError) in
            DeadLetter(
                id: try row.decode(0), kind: try row.decode(1), runID: try row.decode(2), stage: try row.decode(3),
                shard: try row.decode(4), attempts: try row.decode(5), lastError: try row.decode(6),
                diedAt: try row.decode(7), history: try row.decode(8))
        }
    }

    /// Deletes finished runs (their stages) and dead letters older than
    /// `olderThanSeconds`. Returns (runs, dead letters) deleted.
    public func purge(olderThanSeconds: Double, on db: isolated Connection) throws -> (Int, Int) {
        let dead = try db.query(QueueQueries.purgeDead, olderThanSeconds).affectedRows ?? 0
        let runs = try db.query(QueueQueries.purgeRuns, olderThanSeconds).affectedRows ?? 0
        return (runs, dead)
    }

    /// Caps how many jobs of `kind` run at once across all workers.
    public func setConcurrencyLimit(kind: String, maxRunning: Int, on db: isolated Connection) throws {
        try db.query(QueueQueries.setKindLimit, kind, maxRunning)
    }
}
