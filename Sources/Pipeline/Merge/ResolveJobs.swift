import Foundation
import JobQueue
import Logging
import MarketMapCore
import Postgres

/// Resolve in shards: the steps after `match`, each a stage of the run.
///
/// 1. `components` (one job): connected components over the run's edges,
///    shared domains and `same` decisions, on compact record numbers
///    (`RecordComponents`); each component goes to shard
///    `RecordComponents.shard(of:shards:)`.
/// 2. `resolve` (`shards` jobs): each clusters its components' records and
///    edges (`AccountClustering.resolution`: every rule of it is per
///    component) and keeps the clusters and review candidates.
/// 3. `golden` (one job, set-based SQL): golden ids by one rule for the run.
/// 4. `survive` (`shards` jobs): lineage, survivorship, conflicts and review
///    items of each shard's accounts, and the contact waterfall's lookups
///    for their contacts (`ContactMerger.lookup`).
/// 5. `contacts` (`shards` jobs): the new golden contacts numbered once when
///    the stage starts (`ContactMerger.numberNew`), then each job writes its
///    shard's new golden contacts, contact lineage and identifiers.
/// 6. `settle` (one job): orphans, unseen review items, the survivorship
///    time, the run's contact figures, and the run's resolve rows removed.
///
/// Every job deletes and rewrites its own rows (keyed by run and shard) in
/// its job transaction, so a retried job neither loses nor duplicates, and
/// the result is the same whatever the shard and worker counts.
enum ResolveJobs {
    enum Step: String, CaseIterable {
        case components, resolve, golden, survive, contacts, settle

        var kind: String { "merge.\(rawValue)" }
        var sharded: Bool { self == .resolve || self == .survive || self == .contacts }
    }

    static func register(into registry: inout Registry) {
        registry.register(Components())
        registry.register(Resolve())
        registry.register(Golden())
        registry.register(Survive())
        registry.register(Contacts())
        registry.register(Settle())
    }

    /// A resolve step's job arguments: the run's shard count (`components`
    /// splits the market by it; a `resolve`, `survive` or `contacts` job is one shard).
    /// One type per kind, so a payload is only read by its own kind.
    protocol StepArguments: JobArguments {
        var shards: Int { get }
        init(shards: Int)
    }
    struct ComponentsArguments: StepArguments { static let kind = Step.components.kind; var shards: Int }
    struct ResolveArguments: StepArguments { static let kind = Step.resolve.kind; var shards: Int }
    struct GoldenArguments: StepArguments { static let kind = Step.golden.kind; var shards: Int }
    struct SurviveArguments: StepArguments { static let kind = Step.survive.kind; var shards: Int }
    struct ContactsArguments: StepArguments { static let kind = Step.contacts.kind; var shards: Int }
    struct SettleArguments: StepArguments { static let kind = Step.settle.kind; var shards: Int }

    static func arguments(of step: Step) -> any StepArguments.Type {
        switch step {
        case .components: return ComponentsArguments.self
        case .resolve: return ResolveArguments.self
        case .golden: return GoldenArguments.self
        case .survive: return SurviveArguments.self
        case .contacts: return ContactsArguments.self
        case .settle: return SettleArguments.self
        }
    }

    static func plan(_ step: Step, _ settings: RunSettings) throws -> [JobSpec] {
        let shards = settings.params.shardCount
        let arguments = arguments(of: step).init(shards: shards)
        return try (0..<(step.sharded ? shards : 1)).map { try JobSpec(shard: $0, arguments: arguments) }
    }

    /// The contacts stage: the run's new golden contacts numbered once, in the
    /// transaction that starts it, then a job per shard.
    static func planContacts(_ run: RunInfo, _ settings: RunSettings, on db: isolated Connection) throws -> [JobSpec] {
        try ContactMerger.numberNew(run: run.id, on: db)
        return try plan(.contacts, settings)
    }

    /// The contact merger of a step's job, with its run's source priority.
    static func contactMerger(_ merger: AccountMerger) -> ContactMerger {
        ContactMerger(sourcePriority: merger.sourcePriority, logger: merger.logger)
    }

    /// The merger of a step's job, with its run's settings; checks the job's arguments.
    static func merger<A: StepArguments>(_ job: ClaimedJob, _ type: A.Type, on db: isolated Connection) throws -> AccountMerger {
        let shards = try job.arguments(type).shards
        let settings = try MergeJobs.Settings(try RunSettings.of(run: job.runID, on: db), shards: shards)
        return AccountMerger(
            settings: settings.match.settings, sourcePriority: settings.priority, platforms: settings.match.platforms,
            logger: Logger(label: "marketmap.merge"))
    }

    struct Components: JobHandler {
        let kind = Step.components.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let shards = try job.arguments(ComponentsArguments.self).shards
            try db.execute(MergeQueries.numberRecords)
            let count = try db.query(MergeQueries.recordCount)[0].decode(Int.self)
            try db.execute(MergeQueries.analyzeRunEdges)
            try db.query(MergeQueries.fillLinks, job.runID)
            context.progress(job, done: 30, total: 100)
            var components = RecordComponents(count: count)
            try db.copyOut(MergeQueries.copyLinks) { bytes in
                let f = CopyText.parseRow(bytes)
                guard f.count == 2, let a = f[0].flatMap({ Int($0) }), let b = f[1].flatMap({ Int($0) }) else { return }
                components.link(a, b)
            }
            context.progress(job, done: 50, total: 100)
            try db.execute(MergeQueries.stageLabels)
            try db.copyIn(MergeQueries.copyLabels) { writer in
                for n in 0..<count {
                    let component = components.component(of: n)
                    try writer.writeRow([String(n), String(component), String(RecordComponents.shard(of: component, shards: shards))])
                }
            }
            try db.query(MergeQueries.deleteComponents, job.runID)
            try db.query(MergeQueries.insertComponents, job.runID)
            try db.execute(MergeQueries.analyzeComponents)
            try db.query(MergeQueries.deleteResolveEdges, job.runID)
            try db.query(MergeQueries.insertResolveEdges, job.runID)
            try db.execute(MergeQueries.analyzeResolveEdges)
            try db.query(MergeQueries.dropRunEdges, job.runID)
            try db.execute(MergeQueries.dropNumbers)
        }
    }

    struct Resolve: JobHandler {
        let kind = Step.resolve.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let merger = try ResolveJobs.merger(job, ResolveArguments.self, on: db)
            try db.execute(MergeQueries.stageShard)
            try db.query(MergeQueries.fillResolveShardRecords, job.runID, job.shard)
            try db.query(MergeQueries.fillShardEdges, job.runID, job.shard)
            let records = try merger.matchRecords(on: db, query: MergeQueries.shardMatchRecords)
            var edges: [MatchEdge] = []
            try db.copyOut(MergeQueries.copyShardEdges) { bytes in
                let f = CopyText.parseRow(bytes)
                guard f.count == 7, let aSource = f[0], let aID = f[1], let bSource = f[2], let bID = f[3],
                    let score = f[4].flatMap(Double.init), let kind = f[5].flatMap(MatchEdge.Kind.init(rawValue:))
                else { return }
                edges.append(MatchEdge(
                    RecordKey(source: aSource, sourceID: aID), RecordKey(source: bSource, sourceID: bID), score: score, kind: kind,
                    reason: f[6] ?? ""))
            }
            context.progress(job, done: 30, total: 100)
            let resolution = try merger.cluster(records, edges: edges, run: job.runID, shard: job.shard, on: db)
            merger.logger.info("merge resolved a shard", metadata: [
                "run": "\(job.runID)", "shard": "\(job.shard)", "records": "\(records.count)", "edges": "\(edges.count)",
                "clusters": "\(resolution.clusters.count)",
            ])
        }
    }

    struct Golden: JobHandler {
        let kind = Step.golden.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            try ResolveJobs.merger(job, GoldenArguments.self, on: db).assignGoldenIDs(run: job.runID, on: db)
        }
    }

    struct Survive: JobHandler {
        let kind = Step.survive.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let merger = try ResolveJobs.merger(job, SurviveArguments.self, on: db)
            try merger.survive(run: job.runID, shard: job.shard, runID: job.runID, on: db) {
                context.progress(job, done: Int($0 * 90), total: 100)
            }
            try ResolveJobs.contactMerger(merger).lookup(run: job.runID, shard: job.shard, on: db)
        }
    }

    struct Contacts: JobHandler {
        let kind = Step.contacts.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let merger = try ResolveJobs.merger(job, ContactsArguments.self, on: db)
            try ResolveJobs.contactMerger(merger).write(run: job.runID, shard: job.shard, on: db)
        }
    }

    struct Settle: JobHandler {
        let kind = Step.settle.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let merger = try ResolveJobs.merger(job, SettleArguments.self, on: db)
            try merger.finish(run: job.runID, runID: job.runID, on: db)
            let contacts = try ResolveJobs.contactMerger(merger).settle(run: job.runID, on: db)
            try AccountMerger.dropResolveRows(run: job.runID, on: db)
            merger.logger.info("merge resolved", metadata: [
                "run": "\(job.runID)", "goldenContacts": "\(contacts.goldenContacts)", "created": "\(contacts.created)",
                "withoutAccount": "\(contacts.withoutAccount)",
            ])
        }
    }
}
