import JobQueue
import Synchronization

/// What a handler's `prepare` looked up before a job's transaction (paid
/// provider calls), kept for its `handle` in the transaction.
final class PreparedResults<Result: Sendable>: Sendable {
    private let results = Mutex<[Int: Result]>([:])

    func keep(_ result: Result, for job: ClaimedJob) {
        results.withLock { $0[job.id] = result }
    }

    /// The job's result, taken; a job whose `prepare` did not run on this worker fails (and is retried).
    func take(_ job: ClaimedJob) throws -> Result {
        guard let result = results.withLock({ $0.removeValue(forKey: job.id) }) else { throw PipelineError.notPrepared(job: job.id) }
        return result
    }
}
