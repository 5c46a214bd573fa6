/// A stage handler's or planner's own failure.
public enum PipelineError: Error, CustomStringConvertible, Equatable {
    /// A job's transaction started without what its `prepare` step looked up.
    case notPrepared(job: Int)
    /// A run names a stage its pipeline does not have (a run of another
    /// binary, or a row edited by hand).
    case unknownStage(String, pipeline: String, known: [String])

    public var description: String {
        switch self {
        case .notPrepared(let job):
            return "job \(job) reached its transaction without its prepared lookups; it will be retried (its paid answers are cached)"
        case .unknownStage(let stage, let pipeline, let known):
            return "the \(pipeline) pipeline has no stage \"\(stage)\" (its stages: \(known.joined(separator: ", "))); was the run created by another marketmap version?"
        }
    }
}
