import Foundation
import MarketMapCore
import Postgres

/// What a stage's job consumes besides its rows (sql/0026 `stage_inputs`):
/// the configuration, the normalization version, the as-of day and the shard
/// count. A job whose settings equal those it last ran with needs to redo only
/// the accounts changed since (sql/0033 `account_changes`, after the
/// `changes_seq` it recorded); any difference, or no record, redoes its shard.
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

    /// These settings and `data` (what else the stage reads, such as the
    /// contents of its provider files) as one configuration.
    func including(_ data: String) -> StageInputs {
        var inputs = self
        inputs.configHash = ContentHash.of([configHash, data])
        return inputs
    }

    /// The largest account change (`account_changes.seq`) `stage`'s job
    /// `shard` had seen when it last ran with these settings; nil when it
    /// never did, so it redoes its whole shard.
    func changesSeen(stage: MarketStage, shard: Int, on db: isolated Connection) throws -> Int? {
        try db.query(PipelineQueries.changesSeen, stage.rawValue, shard, shards, configHash, version, asOf).first?.decode(Int.self)
    }

    /// Records that run `run`'s job `shard` of `stage` consumed these
    /// settings, recomputing `redone` items, and has seen every account change
    /// so far (call it last, after the job's own writes).
    func record(stage: MarketStage, shard: Int, run: Int, redone: Int, on db: isolated Connection) throws {
        try db.query(PipelineQueries.recordStageInputs, stage.rawValue, shard, shards, run, configHash, version, asOf, redone)
    }
}
