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
            jobs.map(\.priority), jobs.map(\.maxAttempts), jobs.map(\.maxLeaseExpiries)
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
        return Set(try rows.map { row throws(PostgresError) in try row.decode(String.self) })
    }

    /// Completes (deletes) jobs inside the caller's transaction, so they
    /// commit with the handler's results, and keeps their timings
    /// (`job_timings`): `secondsEach` is each job's time on the worker (nil:
    /// since its claim). Throws `leaseLost` if any claim is no longer
    /// current; the caller must then roll back.
    public func complete(_ jobs: [ClaimedJob], secondsEach: Double? = nil, on db: isolated Connection) throws {
        guard !jobs.isEmpty else { return }
        let completed: Int = try db.query(QueueQueries.complete, jobs.map(\.id), jobs.map(\.claimID), secondsEach)[0].decode(Int.self)
        guard completed == jobs.count else { throw QueueError.leaseLost(expected: jobs.count, completed: completed) }
        for (kind, count) in Dictionary(grouping: jobs, by: \.kind).mapValues(\.count) {
            Counter(label: "marketmap_jobs_completed_total", dimensions: [("kind", kind)]).increment(by: count)
        }
    }

    /// Records a failure and charges the attempt. A permanent error
    /// (`PermanentJobError`) moves the job to the dead letters at once; any
    /// other error backs off and retries, and the failure that uses up
    /// `max_attempts` moves it there too. Either way the error is kept in the
    /// job's history. Returns `leaseLost` if the claim is no longer current.
    public func fail(_ job: ClaimedJob, error: any Error, on db: isolated Connection) throws -> FailureOutcome {
        try fail(job, reason: "\(error)", permanent: Self.isPermanent(error), on: db)
    }

    /// `fail` with the error already in words.
    public func fail(_ job: ClaimedJob, reason: String, permanent: Bool = false, on db: isolated Connection) throws -> FailureOutcome {
        let reason = String(reason.prefix(4000))
        let failed = Counter(label: "marketmap_jobs_failed_total", dimensions: [("kind", job.kind)])
        // `job.attempt` is the failures so far plus this one (claims do not charge).
        let cause: DeadLetterCause? = permanent ? .permanent : job.attempt >= job.maxAttempts ? .attempts : nil
        if let cause {
            let moved = try db.query(QueueQueries.failToDeadLetters, job.id, job.claimID, reason, cause.rawValue)
            guard !moved.isEmpty else { return .leaseLost }
            failed.increment()
            Counter(label: "marketmap_jobs_dead_total", dimensions: [("kind", job.kind), ("cause", cause.rawValue)]).increment()
            return .dead(cause)
        }
        let delay = backoff.delay(attempt: job.attempt)
        let rows = try db.query(QueueQueries.recordFailure, job.claimID, reason, delay, job.id)
        guard !rows.isEmpty else { return .leaseLost }
        failed.increment()
        return .retry(afterSeconds: delay)
    }

    /// Gives claims back untouched (shutdown, lost connection): no attempt
    /// and no lease expiry is charged.
    @discardableResult
    public func release(_ claims: [Claim], on db: isolated Connection) throws -> Int {
        guard !claims.isEmpty else { return 0 }
        return try db.query(QueueQueries.release, claims.map(\.job), claims.map(\.id)).affectedRows ?? 0
    }

    /// Returns jobs whose lease expired (their worker was killed, ran out of
    /// memory, hung or was cut off) to the queue without charging an attempt;
    /// a job whose worker was lost `max_lease_expiries` times (a poison job
    /// that kills every worker it runs on) becomes a dead letter instead. One
    /// statement, so a job is either requeued or dead, never both.
    public func reapExpired(on db: isolated Connection) throws -> (requeued: Int, dead: Int) {
        let rows = try db.query(QueueQueries.reapExpired)
        guard let row = rows.first else { return (0, 0) }
        let (requeued, dead, kinds) = try row.decode(Int.self, Int.self, [String].self)
        if dead > 0 {
            for kind in kinds {
                Counter(label: "marketmap_jobs_dead_total", dimensions: [("kind", kind), ("cause", DeadLetterCause.leaseExpiries.rawValue)]).increment()
            }
        }
        return (requeued, dead)
    }

    // MARK: operating

    /// Moves dead letters back to the queue (fresh attempts and lease
    /// expiries, their limits kept; whatever their cause) by id, by run, or
    /// all; re-opens their runs. Returns how many jobs came back.
    @discardableResult
    public func retryDeadLetters(ids: [Int] = [], runs: [Int] = [], all: Bool = false, on db: isolated Connection) throws -> Int {
        let revived = try db.query(QueueQueries.retryDeadLetters, ids, runs, all)
        var reopened = Set<String>()
        for row in revived {
            let (run, stage) = try row.decode(Int.self, String.self)
            guard reopened.insert("\(run)/\(stage)").inserted else { continue }
            try db.query(QueueQueries.reopenRun, run)
            try db.query(QueueQueries.reopenStage, run, stage)
        }
        if revived.count > 0 { try db.query(QueueQueries.wakeWorkers, "retry") }
        return revived.count
    }

    public func stats(on db: isolated Connection) throws -> [QueueStat] {
        try db.query(QueueQueries.stats).map { row throws(PostgresError) in
            QueueStat(kind: try row.decode("kind"), state: try row.decode("state"), count: try row.decode("jobs"), oldestAgeSeconds: try row.decode("oldest_age_s"))
        }
    }

    public func deadLetters(run: Int? = nil, limit: Int = 100, on db: isolated Connection) throws -> [DeadLetter] {
        try db.query(QueueQueries.deadLetters, run, limit).map { row throws(PostgresError) in
            DeadLetter(
                id: try row.decode("id"), kind: try row.decode("kind"), runID: try row.decode("run_id"), stage: try row.decode("stage"),
                shard: try row.decode("shard"), attempts: try row.decode("attempts"), maxAttempts: try row.decode("max_attempts"),
                leaseExpiries: try row.decode("lease_expiries"), maxLeaseExpiries: try row.decode("max_lease_expiries"),
                cause: try row.decode("cause"), lastError: try row.decode("last_error"),
                diedAt: try row.decode("died_at"), history: try row.decode("history"))
        }
    }

    /// Deletes finished runs (their stages) and dead letters older than
    /// `olderThanSeconds`. Returns (runs, dead letters) deleted.
    public func purge(olderThanSeconds: Double, on db: isolated Connection) throws -> (Int, Int) {
        let dead = try db.query(QueueQueries.purgeDead, olderThanSeconds).affectedRows ?? 0
        let runs: Int = try db.query(QueueQueries.purgeRuns, olderThanSeconds)[0].decode(Int.self)
        return (runs, dead)
    }

    /// Caps how many jobs of `kind` run at once across all workers.
    public func setConcurrencyLimit(kind: String, maxRunning: Int, on db: isolated Connection) throws {
        try db.query(QueueQueries.setKindLimit, kind, maxRunning)
    }
}
