import Foundation
import JobQueue
import MarketMapCore
import Postgres

/// The `score` stage: `shards` jobs (run param, default 8), each scoring the
/// golden accounts with `id % shards == shard` and their contacts
/// (`AccountScoring`) with the run's configuration (validated and stored when
/// the run was created, `RunSettings`), so every worker on every host scores
/// with the same one; `as_of` fixes the day tenure is counted to. A job
/// scores only the accounts changed since its last run whose inputs differ
/// from those they were last scored with when its configuration, version,
/// as-of day and shard count are those of its last run (`StageInputs`), else
/// every account of its shard.
enum ScoreJobs {
    static let kind = "score.accounts"

    static func register(into registry: inout Registry) {
        registry.register(Score())
    }

    /// A job's arguments: its shard is the job's; `shards` of them.
    struct Arguments: JobArguments {
        static let kind = ScoreJobs.kind
        var shards: Int
    }

    static func plan(_ run: RunInfo, _ settings: RunSettings, on db: isolated Connection) throws -> [JobSpec] {
        _ = try settings.configuration()  // a run without a usable configuration fails here, before any job
        let shards = settings.params.shardCount
        return try (0..<shards).map { try JobSpec(shard: $0, arguments: Arguments(shards: shards)) }
    }

    struct Score: JobHandler {
        let kind = ScoreJobs.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let shards = try job.arguments(Arguments.self).shards
            let settings = try RunSettings.of(run: job.runID, on: db)
            let inputs = StageInputs(settings)
            let since = try inputs.changesSeen(stage: .score, shard: job.shard, on: db)
            let counts = try settings.scoring().score(shard: job.shard, of: shards, changedSince: since, on: db)
            try inputs.record(stage: .score, shard: job.shard, run: job.runID, redone: counts.accounts, on: db)
        }
    }
}
