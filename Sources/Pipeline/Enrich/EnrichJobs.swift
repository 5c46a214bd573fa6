import Enrichment
import Foundation
import JobQueue
import MarketMapCore
import Postgres

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
        try EnrichmentStore.openBudget(run: run.id, settings: config.enrichment, on: db)
        try loadCSVProviders(config.enrichment.providers, manyPerKey: false, params: run.params, on: db)
        let shards = MergeJobs.shards(run.params)
        return (0..<shards).map { JobSpec(kind: kind, shard: $0, payload: run.params.text) }
    }

    /// Loads the CSV files of table providers (once per file content); a
    /// relative path resolves against the configuration's folder.
    static func loadCSVProviders(_ providers: [ProviderSettings], manyPerKey: Bool, params: PostgresJSON, on db: isolated Connection) throws {
        let folder = params.field("config_dir", as: String.self) ?? FileManager.default.currentDirectoryPath
        for provider in providers {
            guard case .table(let table) = provider.source, case .csv(let path) = table.location else { continue }
            let absolute = path.hasPrefix("/") ? path : URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
            try EnrichmentStore.loadCSV(
                provider: provider, path: absolute, keyColumn: table.keyColumn, manyPerKey: manyPerKey,
                domains: DomainNormalizer(resolver: LibPSLResolver.shared), on: db)
        }
    }

    final class Enrich: JobHandler {
        let kind = EnrichJobs.kind
        let batchSize = 1
        /// Results looked up before a job's transaction, written in it.
        private let prepared = PreparedResults<ShardEnrichment.Result>()

        func prepare(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let shards = MergeJobs.shards(job.payload)
            let enrichment = ShardEnrichment(config: try ScoreJobs.scoring(job.payload).config, environment: ProcessInfo.processInfo.environment)
            prepared.keep(try enrichment.lookUp(shard: job.shard, of: shards, run: job.runID, on: db), for: job)
        }

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            try ShardEnrichment.write(try prepared.take(job), shard: job.shard, of: MergeJobs.shards(job.payload), on: db)
        }
    }
}
