/// What to do with one HTTP attempt's outcome: timeouts, connection errors,
/// 408, 429 (honouring `Retry-After`) and 5xx retry with exponential backoff
/// and jitter up to `attempts`; 404 is a negative answer; other 4xx fail now.
public struct RetryPolicy: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        case answer
        case notFound
        case retry(afterSeconds: Double, reason: String)
        case fail(String)
    }

    public var attempts: Int
    public var backoffSeconds: Double
    /// The longest wait a `Retry-After` may impose before the row is given up.
    public var maximumWaitSeconds: Double = 120

    public init(attempts: Int, backoffSeconds: Double) {
        (self.attempts, self.backoffSeconds) = (attempts, backoffSeconds)
    }

    /// `status` is nil when no HTTP answer came (`transportError` says why);
    /// `attempt` counts from 1; `jitter` is in [0, 1).
    public func verdict(status: Int?, transportError: String?, retryAfter: String?, attempt: Int, jitter: Double) -> Verdict {
        let reason: String
        var wait = backoffSeconds * Double(1 << min(attempt - 1, 10)) * (0.5 + jitter / 2)
        switch status {
        case .some(200..<300): return .answer
        case .some(404): return .notFound
        case .some(429):
            reason = "HTTP 429 (rate limited)"
            if let after = retryAfter.flatMap({ Double($0.trimmedWhitespace) }), after >= 0 {
                if after > maximumWaitSeconds { return .fail("\(reason): Retry-After \(Int(after)) s is longer than \(Int(maximumWaitSeconds)) s") }
                wait = after
            }
        case .some(408), .some(500..<600): reason = "HTTP \(status ?? 0)"
        case .some(let code): return .fail("HTTP \(code)")
        case .none: reason = transportError ?? "no answer"
        }
        guard attempt < attempts else { return .fail(attempts == 1 ? reason : "\(reason) after \(attempts) attempts") }
        return .retry(afterSeconds: min(wait, maximumWaitSeconds), reason: reason)
    }
}
