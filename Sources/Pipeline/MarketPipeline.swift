import JobQueue
import Postgres

/// The stages of the market pipeline, in order: the one definition of what
/// a run does. Each stage says whether a run has it (enrich and people only
/// when the configuration asks for them) and plans its jobs when it starts;
/// its jobs, queries and writer live in the stage's folder.
public enum MarketStage: String, Sendable, CaseIterable {
    /// Staged files → source records (Import/).
    case normalize
    /// Candidate edges, one job per shard of match blocks (Merge/).
    case match
    /// Resolve in shards (Merge/ResolveJobs): connected components over the edges (one job),
    case components
    /// clusters per shard of components,
    case resolve
    /// golden ids by one rule (one job),
    case golden
    /// lineage, survivorship and the contact lookups per shard,
    case survive
    /// new golden contacts numbered once, written per shard,
    case contacts
    /// then orphans and the run's figures (one job).
    case settle
    /// The provider waterfall per shard of golden accounts (Enrich/).
    case enrich
    /// Fit, tier, valuation, persona fit per shard of golden accounts (Scoring/).
    case score
    /// Persona discovery within the budget, most valuable accounts first (People/).
    case people

    /// A stage a run names (from the database): one this pipeline does not
    /// have is an error, never a silently planned job.
    public init(named name: String, in pipeline: MarketPipeline) throws(PipelineError) {
        guard let stage = MarketStage(rawValue: name), pipeline.stages.contains(stage) else {
            throw .unknownStage(name, pipeline: pipeline.rawValue, known: pipeline.stages.map(\.rawValue))
        }
        self = stage
    }

    /// Whether a run with these settings has this stage.
    func isIncluded(_ settings: RunSettings) -> Bool {
        switch self {
        case .normalize, .match, .components, .resolve, .golden, .survive, .contacts, .settle, .score: return true
        case .enrich: return EnrichJobs.isEnabled(settings)
        case .people: return PeopleJobs.isEnabled(settings)
        }
    }

    /// The stage's jobs, planned in the transaction that starts it.
    func plan(_ run: RunInfo, _ settings: RunSettings, on db: isolated Connection) throws -> [JobSpec] {
        switch self {
        case .normalize: return try NormalizeJobs.plan(run, settings, on: db)
        case .match: return try MergeJobs.planMatch(run, settings, on: db)
        case .components: return try ResolveJobs.plan(.components, settings)
        case .resolve: return try ResolveJobs.plan(.resolve, settings)
        case .golden: return try ResolveJobs.plan(.golden, settings)
        case .survive: return try ResolveJobs.plan(.survive, settings)
        case .contacts: return try ResolveJobs.planContacts(run, settings, on: db)
        case .settle: return try ResolveJobs.plan(.settle, settings)
        case .enrich: return try EnrichJobs.plan(run, settings, on: db)
        case .score: return try ScoreJobs.plan(run, settings, on: db)
        case .people: return try PeopleJobs.plan(run, settings, on: db)
        }
    }
}

/// The pipelines of the product, all made of `MarketStage`s: the whole
/// `market` run and the subsets a fleet runs by hand.
public enum MarketPipeline: String, Sendable, CaseIterable {
    /// Only normalize (after `import --stage-only` on a fleet).
    case `import`
    /// Normalize, match and the resolve stages.
    case merge
    /// Everything: normalize → match → the resolve stages → enrich → score → people.
    case market

    /// The stages this pipeline may have, in order.
    public var stages: [MarketStage] {
        switch self {
        case .import: return [.normalize]
        case .merge: return [.normalize, .match, .components, .resolve, .golden, .survive, .contacts, .settle]
        case .market: return MarketStage.allCases
        }
    }

    /// The stages a run with these settings has.
    public func stages(for settings: RunSettings) -> [MarketStage] {
        stages.filter { $0.isIncluded(settings) }
    }

    var definition: PipelineDefinition {
        PipelineDefinition(
            name: rawValue, stages: { run in stages(for: try RunSettings.of(run.params)).map(\.rawValue) }, planner: Planner(pipeline: self))
    }

    /// Plans a stage of a run of this pipeline: the run's settings decoded
    /// once, the stage looked up by name (an unknown one fails the run).
    struct Planner: StagePlanner {
        let pipeline: MarketPipeline

        func jobs(for stage: String, run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
            let stage = try MarketStage(named: stage, in: pipeline)
            return try stage.plan(run, try RunSettings.of(run.params), on: db)
        }
    }
}
