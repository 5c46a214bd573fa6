/// An error that no retry can fix: a configuration that does not parse, a
/// payload that does not decode, a reference to something that is gone for
/// good. A job whose handler throws one becomes a dead letter at once, with
/// this error as its reason (`DeadLetterCause.permanent`), instead of using up
/// its attempts; `marketmap queue retry` still brings it back by hand once the
/// cause is fixed.
///
/// Conform an error type whose every case is permanent; for an error type
/// with both kinds of case, override `isPermanent`. Anything else a handler
/// throws is transient: retried with backoff up to `max_attempts`.
public protocol PermanentJobError: Error {
    /// Whether this value is permanent (default: true).
    var isPermanent: Bool { get }
}

extension PermanentJobError {
    public var isPermanent: Bool { true }
}

/// Marks any error as permanent, for a handler that knows better than the
/// error's type: `throw PermanentFailure(error)`.
public struct PermanentFailure: PermanentJobError, CustomStringConvertible {
    public var underlying: any Error
    public init(_ underlying: any Error) { self.underlying = underlying }
    public var description: String { "\(underlying)" }
}

/// A job's payload does not decode as its handler expects (a field missing or
/// of the wrong type). Permanent: the payload is fixed when the job is
/// enqueued, so every attempt would fail the same way.
public struct JobPayloadError: PermanentJobError, Sendable, Equatable, CustomStringConvertible {
    public var job: Int
    public var kind: String
    public var problem: String

    public init(job: Int, kind: String, problem: String) {
        (self.job, self.kind, self.problem) = (job, kind, problem)
    }

    public var description: String {
        "job \(job) (\(kind)): the payload does not decode: \(problem). A retry cannot fix this: check the run's parameters (`runs start --param`) and that every role runs the same marketmap version, then start a new run"
    }

    /// `field shards: expected Int, found a string` from a decoding error.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the payload" : "field \(text)"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type) (\(context.debugDescription))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), found null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

extension JobQueue {
    /// Whether `error` is permanent (see `PermanentJobError`).
    public static func isPermanent(_ error: any Error) -> Bool {
        (error as? any PermanentJobError)?.isPermanent ?? false
    }
}
