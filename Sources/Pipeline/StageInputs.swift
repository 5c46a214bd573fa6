import Foundation
import MarketMapCore
import Postgres

/// What a stage's job consumes besides its rows (sql/0026 `stage_inputs`):
/// the configuration, the normalization version, the as-of day and the shard
/// count. A job whose settings equal those it last ran with needs to redo only
/// the items whose own inputs changed (the score stage: accounts whose
/// `score_inputs` hash differs); any difference, or no record, redoes all.
struct StageInputs: Sendable, Equatable {
    var configHash: String
    var version: String
    var asOf: String
    var shards: Int

    init(_ settings: RunSettings) {
        let params = settings.params
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let stored = params.configuration.flatMap { try? encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        configHash = ContentHash.of([params.config, stored, params.configDir])
        version = ProductVersion.normalization
        asOf = params.day
        shards = params.shardCount
    }

    /// Whether `stage`'s job `shard` last ran with these settings.
    func unchanged(stage: MarketStage, shard: Int, on db: isolated Connection) throws -> Bool {
        !(try db.query(PipelineQueries.sameStageInputs, stage.rawValue, shard, shards, configHash, version, asOf).isEmpty)
    }

    /// Records that run `run`'s job `shard` of `stage` consumed these settings, recomputing `redone` items.
    func record(stage: MarketStage, shard: Int, run: Int, redone: Int, on db: isolated Connection) throws {
        try db.query(PipelineQueries.recordStageInputs, stage.rawValue, shard, shards, run, configHash, version, asOf, redone)
    }
}
