import Enrichment
import Foundation
import JobQueue
import MarketMapCore
import Postgres
import Synchronization

/// The `enrich` stage of the `market` pipeline, between resolve and score
/// when the configuration has providers: `shards` jobs (like scoring), each
/// running the waterfall over its golden accounts (`ShardEnrichment`).
///
/// Planning the stage opens the run's credit budget and loads CSV table
/// providers (relative paths resolve against the configuration's folder, run
/// param `config_dir`). The paid part of a job runs before its transaction,
/// so the cache and ledger keep every answer even if the job is retried.
enum EnrichJobs {
    static let kind = "enrich.accounts"

    static func register(into registry: inout Registry) {
        registry.register(Enrich())
    }

    /// Whether a run's configuration enriches (decides if the stage exists).
    static func isEnabled(_ params: PostgresJSON) -> Bool {
        (try? ScoreJobs.scoring(params))?.config.enrichment.isEnabled ?? false
    }

    static func plan(_ run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
        let config = try ScoreJobs.scoring(run.params).config
        try EnrichmentStore.openBudget(run: run.id, budget: config.enrichment.budget, on: db)
        let folder = run.params.field("config_dir", as: String.self) ?? FileManager.default.currentDirectoryPath
        for provider in config.enrichment.providers {
            guard case .table(let table) = provider.source, case .csv(let path) = table.location else { continue }
            let absolute = path.hasPrefix("/") ? path : URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
            try EnrichmentStore.loadCSV(
                provider: provider, path: absolute, keyColumn: table.keyColumn, domains: DomainNormalizer(resolver: LibPSLResolver.shared), on: db)
        }
        let shards = MergeJobs.shards(run.params)
        return (0..<shards).map { JobSpec(kind: kind, shard: $0, payload: run.params.text) }
    }

    final class Enrich: JobHandler {
        let kind = EnrichJobs.kind
        let batchSize = 1
        /// Results looked up before a job's transaction, written in it.
        private let prepared = Mutex<[Int: ShardEnrichment.Result]>([:])

        func prepare(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let shards = MergeJobs.shards(job.payload)
            let enrichment = ShardEnrichment(config: try ScoreJobs.scoring(job.payload).config, environment: ProcessInfo.processInfo.environment)
            let result = try enrichment.lookUp(shard: job.shard, of: shards, run: job.runID, on: db)
            prepared.withLock { $0[job.id] = result }
        }

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let shards = MergeJobs.shards(job.payload)
            guard let result = prepared.withLock({ $0.removeValue(forKey: job.id) }) else {
                throw PipelineError.notPrepared(job: job.id)
            }
            try ShardEnrichment.write(result, shard: job.shard, of: shards, on: db)
        }
    }
}
