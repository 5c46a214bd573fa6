import Foundation
import Postgres

/// A job to enqueue: one shard of a stage.
public struct JobSpec: Sendable, Equatable {
    public var kind: String
    public var shard: Int
    public var payload: String
    public var priority: Int
    public var maxAttempts: Int

    public init(kind: String, shard: Int, payload: String = "{}", priority: Int = 0, maxAttempts: Int = 5) {
        self.kind = kind
        self.shard = shard
        self.payload = payload
        self.priority = priority
        self.maxAttempts = maxAttempts
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
    public var attempt: Int
    public var maxAttempts: Int
    public var claimID: String
    public var priority: Int

    init(row: Row) throws(PostgresError) {
        id = try row.decode(0)
        kind = try row.decode(1)
        runID = try row.decode(2)
        stage = try row.decode(3)
        shard = try row.decode(4)
        payload = try row.decode(5)
        attempt = try row.decode(6)
        maxAttempts = try row.decode(7)
        claimID = try row.decode(8)
        priority = try row.decode(9)
    }

    /// A payload field, decoded from the job's JSON.
    public func parameter<T: Decodable>(_ key: String, as type: T.Type = T.self) -> T? {
        payload.field(key, as: type)
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
    case dead
    /// The claim was no longer current (lease expired and re-queued).
    case leaseLost
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
    public var lastError: String
    public var diedAt: Date
    public var history: String
}
