import Foundation
import Postgres

/// A job to enqueue: one shard of a stage.
public struct JobSpec: Sendable, Equatable {
    public var kind: String
    public var shard: Int
    public var payload: String
    public var priority: Int
    /// Failures (the handler threw) before the job is a dead letter.
    public var maxAttempts: Int
    /// Lost workers (the lease expired: killed, out of memory, cut off)
    /// before the job is a dead letter. Larger than `maxAttempts`: losing a
    /// worker is rarely the job's fault, but a job that kills its own worker
    /// every time must still end.
    public var maxLeaseExpiries: Int

    public static let defaultMaxAttempts = 5
    public static let defaultMaxLeaseExpiries = 20

    public init(
        kind: String, shard: Int, payload: String = "{}", priority: Int = 0,
        maxAttempts: Int = JobSpec.defaultMaxAttempts, maxLeaseExpiries: Int = JobSpec.defaultMaxLeaseExpiries
    ) {
        self.kind = kind
        self.shard = shard
        self.payload = payload
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.maxLeaseExpiries = maxLeaseExpiries
    }
}

/// A job a worker holds a lease on. `claimID` identifies this one claim: a
/// completion or failure only counts while the claim is still current.
public struct ClaimedJob: Sendable, Equatable {
    public var id: Int
    public var kind: String
    public var runID: Int
    public var stage: String
    public var shard: Int
    public var payload: PostgresJSON
    /// This attempt, 1-based: the failures so far plus one (a lost worker
    /// does not count).
    public var attempt: Int
    public var maxAttempts: Int
    /// How often a worker holding this job was lost before.
    public var leaseExpiries: Int
    public var maxLeaseExpiries: Int
    public var claimID: String
    public var priority: Int

    /// A row of `QueueQueries.claim`, by column name.
    init(row: Row) throws(PostgresError) {
        id = try row.decode("id")
        kind = try row.decode("kind")
        runID = try row.decode("run_id")
        stage = try row.decode("stage")
        shard = try row.decode("shard")
        payload = try row.decode("payload")
        attempt = try row.decode("attempt")
        maxAttempts = try row.decode("max_attempts")
        claimID = try row.decode("claim_id")
        priority = try row.decode("priority")
        leaseExpiries = try row.decode("lease_expiries")
        maxLeaseExpiries = try row.decode("max_lease_expiries")
    }

    /// The whole payload as `T`. A payload that does not decode never will:
    /// the error is a `JobPayloadError`, which is permanent (the job becomes
    /// a dead letter at once instead of failing every attempt the same way).
    public func decodePayload<T: Decodable>(_ type: T.Type = T.self) throws(JobPayloadError) -> T {
        do {
            return try payload.decode(type)
        } catch let error as DecodingError {
            throw JobPayloadError(job: id, kind: kind, problem: JobPayloadError.describe(error))
        } catch {
            throw JobPayloadError(job: id, kind: kind, problem: "\(error)")
        }
    }
}

/// One lease: the job and the claim that holds it.
public struct Claim: Sendable, Hashable {
    public var job: Int
    public var id: String
    public init(job: Int, id: String) {
        self.job = job
        self.id = id
    }
}

extension ClaimedJob {
    public var claim: Claim { Claim(job: id, id: claimID) }
}

/// What happened to a failed job.
public enum FailureOutcome: Sendable, Equatable {
    case retry(afterSeconds: Double)
    /// Moved to the dead letters: attempts used up, or a permanent error.
    case dead(DeadLetterCause)
    /// The claim was no longer current (lease expired and re-queued).
    case leaseLost
}

/// Why a job became a dead letter (`dead_letters.cause`).
public enum DeadLetterCause: String, Sendable, Equatable, PostgresTextEnum {
    /// It failed `max_attempts` times.
    case attempts
    /// Its error was permanent (`PermanentJobError`): retrying cannot help.
    case permanent
    /// Its worker was lost (lease expired) `max_lease_expiries` times.
    case leaseExpiries = "lease_expiries"

    /// For listings: what happened, in words.
    public var summary: String {
        switch self {
        case .attempts: return "attempts used up"
        case .permanent: return "permanent error"
        case .leaseExpiries: return "worker lost too often"
        }
    }
}

public enum QueueError: Error, CustomStringConvertible {
    /// A completion found fewer current claims than it was given: another
    /// worker owns (some of) the jobs now. The caller must roll back.
    case leaseLost(expected: Int, completed: Int)

    public var description: String {
        switch self {
        case .leaseLost(let expected, let completed):
            return "lost the lease on \(expected - completed) of \(expected) jobs (they expired and were handed to another worker); their results are rolled back"
        }
    }
}

/// Per kind and state: how many jobs, and how old the oldest one is.
public struct QueueStat: Sendable {
    public var kind: String
    public var state: String
    public var count: Int
    public var oldestAgeSeconds: Double
}

public struct DeadLetter: Sendable {
    public var id: Int
    public var kind: String
    public var runID: Int
    public var stage: String
    public var shard: Int
    public var attempts: Int
    public var maxAttempts: Int
    public var leaseExpiries: Int
    public var maxLeaseExpiries: Int
    public var cause: DeadLetterCause
    public var lastError: String
    public var diedAt: Date
    public var history: String

    public var isPermanent: Bool { cause == .permanent }
}
