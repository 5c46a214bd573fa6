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
    /// Where `progress` goes: the worker writes it to the job's row every few seconds.
    var board: JobProgress?

    public init(workerID: String, progress: JobProgress? = nil) {
        self.workerID = workerID
        self.board = progress
    }

    /// How far a long job is (`done` of `total`, any unit), so a run's
    /// progress moves before the job ends. Cheap: call it as often as you like.
    public func progress(_ job: ClaimedJob, done: Int, total: Int) {
        board?.report(job.claim, done: done, total: total)
    }
}

/// A named sequence of stages and how to plan each one's jobs.
public struct PipelineDefinition: Sendable {
    public var name: String
    /// The stages a run with these params has (params that do not decode throw).
    public var stages: @Sendable (RunInfo) throws -> [String]
    public var planner: any StagePlanner

    public init(name: String, stages: @escaping @Sendable (RunInfo) throws -> [String], planner: any StagePlanner) {
        (self.name, self.stages, self.planner) = (name, stages, planner)
    }
}

/// The job kinds and pipelines a worker and a coordinator know (the market
/// pipeline's are `Registry.standard`, in Pipeline).
public struct Registry: Sendable {
    public private(set) var handlers: [String: any JobHandler] = [:]
    public private(set) var pipelines: [String: PipelineDefinition] = [:]

    public init() {}

    public mutating func register(_ handler: any JobHandler) { handlers[handler.kind] = handler }
    public mutating func register(_ pipeline: PipelineDefinition) { pipelines[pipeline.name] = pipeline }
}

/// A name the registry does not know.
public enum RegistryError: Error, CustomStringConvertible {
    case unknownPipeline(String, known: [String])
    case unknownKind(String)

    public var description: String {
        switch self {
        case .unknownPipeline(let name, let known):
            return "unknown pipeline \"\(name)\"; known: \(known.sorted().joined(separator: ", "))"
        case .unknownKind(let kind):
            return "no handler for job kind \"\(kind)\" in this marketmap; is the worker older than the coordinator?"
        }
    }
}
