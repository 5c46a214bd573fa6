import Postgres
import Synchronization

/// How far the jobs a worker runs are, reported from inside their handlers
/// (`report`) and written to their rows by the worker's control connection
/// every few seconds (`take`, then `JobQueue.recordProgress`): a handler runs
/// inside its job's transaction, whose writes nobody sees before it commits.
public final class JobProgress: Sendable {
    private let pending = Mutex<[Claim: Double]>([:])

    public init() {}

    /// `done` of `total` units of work (any unit: blocks, steps, rows).
    public func report(_ claim: Claim, done: Int, total: Int) {
        guard total > 0 else { return }
        let fraction = min(1, max(0, Double(done) / Double(total)))
        pending.withLock { $0[claim] = fraction }
    }

    /// The fractions reported since the last call.
    public func take() -> [Claim: Double] {
        pending.withLock { updates in
            defer { updates.removeAll() }
            return updates
        }
    }
}

extension JobQueue {
    /// Writes reported fractions to the rows of the jobs still held by these claims.
    public func recordProgress(_ updates: [Claim: Double], on db: isolated Connection) throws {
        for (claim, fraction) in updates {
            try db.query(QueueQueries.recordProgress, claim.job, claim.id, fraction)
        }
    }
}
