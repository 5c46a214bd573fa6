import Foundation
import JobQueue
import MarketMapCore
import Postgres

/// The `score` stage: `shards` jobs (run param, default 8), each scoring the
/// golden accounts with `id % shards == shard` and their contacts
/// (`AccountScoring`). The configuration travels in the run's params
/// (`config`: the YAML text, validated when the run was created), so every
/// worker on every host scores with the same one; `as_of` fixes the day
/// tenure is counted to.
///
/// The `market` pipeline is the whole account pipeline: normalize → match →
/// the resolve stages → enrich (when the configuration has providers) → score → people
/// (when it has people providers and a plan).
enum ScoreJobs {
    static let kind = "score.accounts"

    static func register(into registry: inout Registry) {
        registry.register(Score())
        registry.register(PipelineDefinition(
            name: "market",
            stages: { run in
                MergeJobs.stages + (EnrichJobs.isEnabled(run.params) ? ["enrich"] : []) + ["score"]
                    + (PeopleJobs.isEnabled(run.params) ? ["people"] : [])
            },
            planner: Planner()))
    }

    struct Planner: StagePlanner {
        func jobs(for stage: String, run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
            if stage == "enrich" { return try EnrichJobs.plan(run, on: db) }
            if stage == "people" { return try PeopleJobs.plan(run, on: db) }
            guard stage == "score" else { return try MergeJobs.Planner().jobs(for: stage, run: run, on: db) }
            let shards = MergeJobs.shards(run.params)
            return (0..<shards).map { JobSpec(kind: ScoreJobs.kind, shard: $0, payload: run.params.text) }
        }
    }

    /// The configuration and day of a run's params.
    static func scoring(_ params: PostgresJSON) throws -> AccountScoring {
        guard let text = params.field("config", as: String.self) else {
            throw ConfigError(path: "config", expected: "the run has no configuration; start it with `runs start --config FILE`")
        }
        let config = try ConfigLoader.parse(text, file: "the run's configuration")
        let asOf = params.field("as_of", as: String.self) ?? ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withFullDate])
        return AccountScoring(config: config, asOf: asOf)
    }

    struct Score: JobHandler {
        let kind = ScoreJobs.kind
        let batchSize = 1

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let shards = MergeJobs.shards(job.payload)
            try ScoreJobs.scoring(job.payload).score(shard: job.shard, of: shards, on: db)
        }
    }
}
