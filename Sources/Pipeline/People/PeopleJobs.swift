import Enrichment
import Foundation
import JobQueue
import MarketMapCore
import Postgres

/// The `people` stage of the `market` pipeline, after `score` (the tiers say
/// where to look) when the configuration has people providers and a plan.
///
/// Planning the stage opens the run's credit budget (and its pools when
/// `budget_share` splits it), loads CSV people lists, and writes the plan:
/// every tiered account whose contacts lack what its tier's quota wants,
/// ranked by tier then valuation, cut into `shards` chunks of consecutive
/// ranks. Job k works through chunk k; jobs are claimed in order, so the most
/// valuable accounts are bought first and a budget that runs out stops at the
/// least valuable. Run param `people_plan_only` (`marketmap run --plan-only`):
/// the jobs count the calls and credits the plan needs and buy nothing.
enum PeopleJobs {
    static let kind = "people.find"

    static func register(into registry: inout Registry) {
        registry.register(Find())
    }

    /// Whether a run's configuration finds people (decides if the stage exists).
    static func isEnabled(_ params: PostgresJSON) -> Bool {
        (try? ScoreJobs.scoring(params))?.config.enrichment.people.isEnabled ?? false
    }

    static func planOnly(_ params: PostgresJSON) -> Bool {
        params.field("people_plan_only", as: Bool.self) ?? (params.field("people_plan_only", as: String.self) == "true")
    }

    static func plan(_ run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
        let config = try ScoreJobs.scoring(run.params).config
        let people = config.enrichment.people
        try EnrichmentStore.openBudget(run: run.id, settings: config.enrichment, on: db)
        try EnrichJobs.loadCSVProviders(people.providers.map(\.provider), manyPerKey: true, params: run.params, on: db)
        let tiers = AccountTier.allCases.filter { (people.plan[$0]?.total ?? 0) > 0 }
        let quota = { (level: PersonaTier) in tiers.map { people.plan[$0]?[level] ?? 0 } }
        try db.query(PeopleQueries.clearPlan, run.id)
        try db.query(
            PeopleQueries.plan, run.id, config.products.first?.product ?? "", tiers.map(\.rawValue), quota(.tier1), quota(.tier2), quota(.tier3),
            MergeJobs.shards(run.params))
        return try db.query(PeopleQueries.planChunks, run.id).map { JobSpec(kind: kind, shard: try $0.decode(0), payload: run.params.text) }
    }

    final class Find: JobHandler {
        let kind = PeopleJobs.kind
        let batchSize = 1
        private let prepared = PreparedResults<ShardPeople.Result>()

        func prepare(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let scoring = try ScoreJobs.scoring(job.payload)
            let people = ShardPeople(
                config: scoring.config, asOf: scoring.asOf, environment: ProcessInfo.processInfo.environment, planOnly: PeopleJobs.planOnly(job.payload))
            prepared.keep(try people.lookUp(chunk: job.shard, run: job.runID, on: db), for: job)
        }

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            try ShardPeople.write(try prepared.take(job), on: db)
        }
    }
}
