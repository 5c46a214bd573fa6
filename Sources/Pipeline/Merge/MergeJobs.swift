import Foundation
import JobQueue
import Logging
import MarketMapCore
import Postgres

/// The `merge` pipeline: stage `normalize` turns every staged import into
/// source records (`NormalizeJobs`); stage `match` finds candidate edges in `shards`
/// parallel jobs (each owns the domain groups and name blocks whose key hashes
/// to it); the resolve stages (`ResolveJobs.Step`) cluster the edges by
/// connected component in `shards` jobs and write golden accounts, lineage,
/// survivorship and the contact waterfall. Each job writes in its own job
/// transaction, so a crashed or repeated job neither loses nor duplicates.
/// The accounts are the same whatever the shard and worker counts
/// (`AccountClustering.candidates`, `ResolveJobs`).
///
/// Run params (`RunParameters`): `shards` (default 8), `source_priority`
/// (comma-separated), the configuration (its `match:` section),
/// `name_threshold` (over the configuration's).
enum MergeJobs {
    static func register(into registry: inout Registry) {
        registry.register(Match())
        ResolveJobs.register(into: &registry)
    }

    /// A `merge.match` job's arguments: its shard is the job's; `shards` of them.
    struct MatchArguments: JobArguments {
        static let kind = "merge.match"
        var shards: Int
    }

    /// The match stage: the run's block keys prepared once (`ShardMatch.prepare`), then a job per shard.
    static func planMatch(_ run: RunInfo, _ settings: RunSettings, on db: isolated Connection) throws -> [JobSpec] {
        let shards = settings.params.shardCount
        try ShardMatch.prepare(runID: run.id, platforms: try Settings(settings, shards: shards).match.platforms, on: db)
        return try (0..<shards).map { try JobSpec(shard: $0, arguments: MatchArguments(shards: shards)) }
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
}
