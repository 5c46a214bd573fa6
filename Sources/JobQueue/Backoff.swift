/// Exponential backoff with jitter: attempt 1 waits about `base`, each later
/// attempt twice as long, capped at `cap`; the delay is drawn uniformly from
/// [50 %, 100 %] of that ("equal jitter"), so retries of many jobs that failed
/// together spread out instead of stampeding.
public struct Backoff: Sendable, Equatable {
    public var baseSeconds: Double
    public var capSeconds: Double

    public init(baseSeconds: Double = 2, capSeconds: Double = 600) {
        self.baseSeconds = baseSeconds
        self.capSeconds = capSeconds
    }

    /// The ceiling for `attempt` (1-based) before jitter.
    public func ceiling(attempt: Int) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 60)))
        return min(capSeconds, baseSeconds * pow2(exponent))
    }

    public func delay<G: RandomNumberGenerator>(attempt: Int, using generator: inout G) -> Double {
        let ceiling = ceiling(attempt: attempt)
        return ceiling / 2 + Double.random(in: 0...(ceiling / 2), using: &generator)
    }

    public func delay(attempt: Int) -> Double {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
