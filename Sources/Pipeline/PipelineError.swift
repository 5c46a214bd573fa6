/// A stage handler's own failure.
public enum PipelineError: Error, CustomStringConvertible {
    /// A job's transaction started without what its `prepare` step looked up.
    case notPrepared(job: Int)

    public var description: String {
        switch self {
        case .notPrepared(let job):
            return "job \(job) reached its transaction without its prepared lookups; it will be retried (its paid answers are cached)"
        }
    }
}
