import Foundation
import JobQueue
import Logging
import MarketMapCore
import Postgres

/// The `merge` pipeline: stage `normalize` turns every staged import into
/// source records (`NormalizeJobs`); stage `match` finds candidate edges in `shards`
/// parallel jobs (each owns the domain groups and name blocks whose key hashes
/// to it); stage `resolve` clusters all edges and writes golden accounts,
/// lineage, survivorship and the contact waterfall. Each job writes in its own
/// job transaction, so a crashed or repeated job neither loses nor duplicates.
/// The accounts are the same whatever the shard and worker counts
/// (`AccountClustering.candidates`).
///
/// Run params (`RunParameters`): `shards` (default 8), `source_priority`
/// (comma-separated), the configuration (its `match:` section),
/// `name_threshold` (over the configuration's).
enum MergeJobs {
    static func register(into registry: inout Registry) {
        registry.register(Match())
        registry.register(Resolve())
    }

    /// A `merge.match` job's arguments: its shard is the job's; `shards` of them.
    struct MatchArguments: JobArguments {
        static let kind = "merge.match"
        var shards: Int
    }

    /// The `merge.resolve` job's arguments: none beyond its run's settings.
    struct ResolveArguments: JobArguments {
        static let kind = "merge.resolve"
    }

    /// The match stage: the run's block keys prepared once (`ShardMatch.prepare`), then a job per shard.
    static func planMatch(_ run: RunInfo, _ settings: RunSettings, on db: isolated Connection) throws -> [JobSpec] {
        let shards = settings.params.shardCount
        try ShardMatch.prepare(runID: run.id, platforms: try Settings(settings, shards: shards).match.platforms, on: db)
        return try (0..<shards).map { try JobSpec(shard: $0, arguments: MatchArguments(shards: shards)) }
    }

    static func planResolve(_ run: RunInfo, _ settings: RunSettings, on db: isolated Connection) throws -> [JobSpec] {
        [try JobSpec(shard: 0, arguments: ResolveArguments())]
    }

    /// The run's merge settings: the configuration's `match:` section when
    /// the run has a configuration, a `name_threshold` param over it.
    struct Settings {
        var shards: Int
        var priority: [String]
        var match: MatchConfig

        init(_ run: RunSettings, shards: Int) throws {
            self.shards = shards
            priority = run.params.priority
            match = run.hasConfiguration ? try run.configuration().match : MatchConfig()
            if let threshold = run.params.nameThreshold { match.settings.nameThreshold = threshold }
        }
    }

    struct Match: JobHandler {
        let kind = MatchArguments.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let arguments = try job.arguments(MatchArguments.self)
            let settings = try Settings(try RunSettings.of(run: job.runID, on: db), shards: arguments.shards)
            // Progress in hundredths: loading the shard's records is a fifth, finding the edges most of the rest.
            let edges = try ShardMatch.edges(
                runID: job.runID, shard: job.shard, shards: settings.shards, settings: settings.match.settings,
                platforms: settings.match.platforms, on: db
            ) { context.progress(job, done: Int($0 * 95), total: 100) }
            try db.query(MergeQueries.deleteShardEdges, job.runID, job.shard)
            try db.copyIn(MergeQueries.copyEdges) { writer in
                for edge in edges {
                    try writer.writeRow([
                        String(job.runID), String(job.shard), edge.a.source, edge.a.sourceID, edge.b.source, edge.b.sourceID,
                        String(edge.score), edge.kind.rawValue, edge.reason,
                    ])
                }
            }
        }
    }

    struct Resolve: JobHandler {
        let kind = ResolveArguments.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            _ = try job.arguments(ResolveArguments.self)
            let run = try RunSettings.of(run: job.runID, on: db)
            let settings = try Settings(run, shards: run.params.shardCount)
            let logger = Logger(label: "marketmap.merge")
            let merger = AccountMerger(
                settings: settings.match.settings, sourcePriority: settings.priority, platforms: settings.match.platforms, logger: logger)
            let clock = ContinuousClock()
            let started = clock.now
            // Progress in hundredths, by the steps' share of a 1M-account resolve.
            let records = try merger.matchRecords(on: db)
            context.progress(job, done: 5, total: 100)
            try db.execute(MergeQueries.stageRunEdges)
            try db.query(MergeQueries.fillRunEdges, job.runID)
            var edges: [MatchEdge] = []
            try db.copyOut(MergeQueries.copyRunEdges) { bytes in
                let f = CopyText.parseRow(bytes)
                guard f.count == 7, let aSource = f[0], let aID = f[1], let bSource = f[2], let bID = f[3],
                    let score = f[4].flatMap(Double.init), let kind = f[5].flatMap(MatchEdge.Kind.init(rawValue:))
                else { return }
                edges.append(MatchEdge(
                    RecordKey(source: aSource, sourceID: aID), RecordKey(source: bSource, sourceID: bID), score: score, kind: kind,
                    reason: f[6] ?? ""))
            }
            let loaded = clock.now
            context.progress(job, done: 10, total: 100)
            let decisions = try MergeDecisions.load(on: db)
            let resolution = AccountClustering.resolution(records, edges: edges, settings: settings.match.settings, decisions: decisions)
            let clustered = clock.now
            context.progress(job, done: 20, total: 100)
            let report = try merger.write(resolution, runID: job.runID, on: db) { context.progress(job, done: 20 + Int($0 * 50), total: 100) }
            let written = clock.now
            context.progress(job, done: 70, total: 100)
            let contacts = try ContactMerger(sourcePriority: settings.priority, logger: logger).merge(on: db)
            logger.info("merge resolve steps", metadata: [
                "load": "\(started.duration(to: loaded))", "cluster": "\(loaded.duration(to: clustered))",
                "write": "\(clustered.duration(to: written))", "contacts": "\(written.duration(to: clock.now))",
            ])
            try db.query(MergeQueries.dropRunEdges, job.runID)
            logger.info("merge resolved", metadata: [
                "run": "\(job.runID)", "golden": "\(report.goldenAccounts)", "source": "\(report.sourceRecords)",
                "goldenContacts": "\(contacts.goldenContacts)",
            ])
        }
    }
}
