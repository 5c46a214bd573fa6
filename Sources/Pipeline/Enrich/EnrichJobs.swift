import Enrichment
import Foundation
import JobQueue
import MarketMapCore
import Postgres

/// The `enrich` stage of the `market` pipeline, between resolve and score
/// when the configuration has providers: `shards` jobs (like scoring), each
/// running the waterfall over its golden accounts (`ShardEnrichment`): on a
/// refresh with the settings and provider files of its last run
/// (`StageInputs`), over those changed since and those whose last attempts
/// may not repeat.
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

    /// A job's arguments: its shard is the job's; `shards` of them.
    struct Arguments: JobArguments {
        static let kind = EnrichJobs.kind
        var shards: Int
    }

    /// Whether a run's configuration enriches (decides if the stage exists).
    static func isEnabled(_ settings: RunSettings) -> Bool {
        (try? settings.configuration())?.enrichment.isEnabled ?? false
    }

    static func plan(_ run: RunInfo, _ settings: RunSettings, on db: isolated Connection) throws -> [JobSpec] {
        let config = try settings.configuration()
        try EnrichmentStore.openBudget(run: run.id, settings: config.enrichment, on: db)
        try loadCSVProviders(config.enrichment.providers, manyPerKey: false, params: settings.params, on: db)
        let shards = settings.params.shardCount
        return try (0..<shards).map { try JobSpec(shard: $0, arguments: Arguments(shards: shards)) }
    }

    /// Loads the CSV files of table providers (once per file content); a
    /// relative path resolves against the configuration's folder.
    static func loadCSVProviders(_ providers: [ProviderSettings], manyPerKey: Bool, params: RunParameters, on db: isolated Connection) throws {
        let folder = params.configDir ?? FileManager.default.currentDirectoryPath
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
            let shards = try job.arguments(Arguments.self).shards
            let settings = try RunSettings.of(run: job.runID, on: db)
            let enrichment = ShardEnrichment(config: try settings.configuration(), environment: ProcessInfo.processInfo.environment)
            let since = try inputs(settings, on: db).changesSeen(stage: .enrich, shard: job.shard, on: db)
            prepared.keep(try enrichment.lookUp(shard: job.shard, of: shards, run: job.runID, changedSince: since, on: db), for: job)
        }

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let result = try prepared.take(job)
            let settings = try RunSettings.of(run: job.runID, on: db)
            try ShardEnrichment.write(result, shard: job.shard, of: try job.arguments(Arguments.self).shards, on: db)
            try inputs(settings, on: db).record(
                stage: .enrich, shard: job.shard, run: job.runID, redone: result.statuses.count, on: db)
        }

        /// The run's settings and the contents of the provider files loaded when the stage was planned.
        private func inputs(_ settings: RunSettings, on db: isolated Connection) throws -> StageInputs {
            StageInputs(settings).including(try db.query(EnrichQueries.providerFiles)[0].decode(String.self))
        }
    }
}
