import Foundation

/// The typed arguments of one job kind: encoded into the job's payload when
/// its stage is planned, decoded once by its handler (`ClaimedJob.arguments`).
/// A payload that does not decode is a `JobPayloadError` (permanent).
public protocol JobArguments: Codable, Sendable, Equatable {
    /// The job kind these are the arguments of.
    static var kind: String { get }
}

extension JobSpec {
    /// A job of `A.kind` with `arguments` as its payload.
    public init<A: JobArguments>(
        shard: Int, arguments: A, priority: Int = 0,
        maxAttempts: Int = JobSpec.defaultMaxAttempts, maxLeaseExpiries: Int = JobSpec.defaultMaxLeaseExpiries
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.init(
            kind: A.kind, shard: shard, payload: String(decoding: try encoder.encode(arguments), as: UTF8.self), priority: priority,
            maxAttempts: maxAttempts, maxLeaseExpiries: maxLeaseExpiries)
    }
}

extension ClaimedJob {
    /// The job's arguments. A job of another kind, or a payload that does
    /// not decode as `A`, is a permanent `JobPayloadError`.
    public func arguments<A: JobArguments>(_ type: A.Type = A.self) throws(JobPayloadError) -> A {
        guard kind == A.kind else {
            throw JobPayloadError(job: id, kind: kind, problem: "a \(kind) job does not take the arguments of \(A.kind)")
        }
        return try decodePayload(type)
    }
}
