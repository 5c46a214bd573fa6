/// A stage handler's own failure.
public enum PipelineError: Error, CustomStringConvertible {
    /// A job's transaction started without what its `prepare` step looked up.
    case notPrepared(job: Int)
    /// A planner asked for a stage its pipeline does not have.
    case unknownStage(String, known: [String])

    public var description: String {
        switch self {
        case .notPrepared(let job):
            return "job \(job) reached its transaction without its prepared lookups; it will be retried (its paid answers are cached)"
        case .unknownStage(let stage, let known):
            return "no stage \"\(stage)\" in this marketmap (known: \(known.joined(separator: ", "))); is the coordinator older than the run?"
        }
    }
}
