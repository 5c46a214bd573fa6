import JobQueue
import Postgres

/// Runs one kind of job. `handle` runs inside the transaction that also
/// completes the job, on the worker's connection: write results with set-based
/// SQL there and they commit exactly when the job does.
public protocol JobHandler: Sendable {
    var kind: String { get }
    /// How many claimed jobs of this kind may share one transaction (cheap
    /// jobs: many; big shards: 1). A failing batch is retried job by job.
    var batchSize: Int { get }
    func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws
    /// Work before the job's transaction, on the same connection outside any
    /// transaction: external effects that must commit whatever happens to the
    /// job (paid provider calls, their cache and ledger rows). Default: none.
    func prepare(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws
}

extension JobHandler {
    public func prepare(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {}
}

/// What a handler knows about where it runs.
public struct JobContext: Sendable {
    public var workerID: String
}

/// A named sequence of stages and how to plan each one's jobs.
public struct PipelineDefinition: Sendable {
    public var name: String
    public var stages: @Sendable (RunInfo) -> [String]
    public var planner: any StagePlanner
}

/// The job kinds and pipelines this binary knows. Later stages register here.
public struct Registry: Sendable {
    public private(set) var handlers: [String: any JobHandler] = [:]
    public private(set) var pipelines: [String: PipelineDefinition] = [:]

    public init() {}

    public mutating func register(_ handler: any JobHandler) { handlers[handler.kind] = handler }
    public mutating func register(_ pipeline: PipelineDefinition) { pipelines[pipeline.name] = pipeline }

    /// Everything built into marketmap.
    public static var standard: Registry {
        var registry = Registry()
        TestJobs.register(into: &registry)
        NormalizeJobs.register(into: &registry)
        MergeJobs.register(into: &registry)
        EnrichJobs.register(into: &registry)
        PeopleJobs.register(into: &registry)
        ScoreJobs.register(into: &registry)
        return registry
    }
}

public enum PipelineError: Error, CustomStringConvertible {
    case unknownPipeline(String, known: [String])
    case unknownKind(String)
    /// A job's transaction started without what its `prepare` step looked up.
    case notPrepared(job: Int)

    public var description: String {
        switch self {
        case .unknownPipeline(let name, let known):
            return "unknown pipeline \"\(name)\"; known: \(known.sorted().joined(separator: ", "))"
        case .unknownKind(let kind):
            return "no handler for job kind \"\(kind)\" in this marketmap; is the worker older than the coordinator?"
        case .notPrepared(let job):
            return "job \(job) reached its transaction without its prepared lookups; it will be retried (its paid answers are cached)"
        }
    }
}
