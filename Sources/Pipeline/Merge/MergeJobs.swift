import Foundation
import JobQueue
import Logging
import MarketMapCore
import Postgres

/// The `merge` pipeline: stage `normalize` turns every staged import into
/// source records (`NormalizeJobs`); stage `match` finds candidate edges in `shards`
/// parallel jobs (each owns the domain groups and name blocks whose key hashes
/// to it); the resolve stages (`ResolveJobs.stages`) cluster the edges by
/// connected component in `shards` jobs and write golden accounts, lineage,
/// survivorship and the contact waterfall. Each job writes in its own job
/// transaction, so a crashed or repeated job neither loses nor duplicates.
/// The accounts are the same whatever the shard and worker counts
/// (`AccountClustering.candidates`, `ResolveJobs`).
///
/// Run params: `shards` (default 8), `source_priority` (comma-separated),
/// `config` (its `match:` section), `name_threshold` (over the configuration's).
enum MergeJobs {
    static func register(into registry: inout Registry) {
        registry.register(Match())
        ResolveJobs.register(into: &registry)
        registry.register(PipelineDefinition(name: "merge", stages: { _ in stages }, planner: Planner()))
    }

    /// The merge stages, in order.
    static let stages = ["normalize", "match"] + ResolveJobs.stages

    /// Shard jobs per sharded stage (run param `shards`, default 8).
    static func shards(_ payload: PostgresJSON) -> Int { max(1, payload.field("shards", as: Int.self) ?? 8) }

    /// The run's merge settings: the configuration's `match:` section when
    /// the run has a configuration, a `name_threshold` param over it.
    static func settings(_ payload: PostgresJSON) throws -> (shards: Int, priority: [String], match: MatchConfig) {
        let shards = shards(payload)
        let priority = (payload.field("source_priority", as: String.self) ?? "").split(separator: ",").map { String($0).trimmedWhitespace }
        var match = try payload.field("config", as: String.self).map { try ConfigLoader.parse($0, file: "the run's configuration").match }
            ?? MatchConfig()
        if let threshold = payload.field("name_threshold", as: Double.self) { match.settings.nameThreshold = threshold }
        return (shards, priority, match)
    }

    struct Planner: StagePlanner {
        func jobs(for stage: String, run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
            let shards = MergeJobs.shards(run.params)
            switch stage {
            case "normalize": return try NormalizeJobs.plan(run, on: db)
            case "match":
                // A configuration that does not parse is reported by the match jobs.
                let platforms = (try? MergeJobs.settings(run.params))?.match.platforms ?? HostingPlatforms()
                try ShardMatch.prepare(runID: run.id, platforms: platforms, on: db)
                return (0..<shards).map { JobSpec(kind: "merge.match", shard: $0, payload: run.params.text) }
            default: return try ResolveJobs.plan(stage, run: run)
            }
        }
    }

    struct Match: JobHandler {
        let kind = "merge.match"
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let settings = try MergeJobs.settings(job.payload)
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
