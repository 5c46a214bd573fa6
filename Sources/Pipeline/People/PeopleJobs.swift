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

    /// A job's arguments: its chunk of the plan is its shard.
    struct Arguments: JobArguments {
        static let kind = PeopleJobs.kind
        /// Count the calls and credits the chunk needs; buy nothing.
        var planOnly: Bool
    }

    /// Whether a run's configuration finds people (decides if the stage exists).
    static func isEnabled(_ settings: RunSettings) -> Bool {
        (try? settings.configuration())?.enrichment.people.isEnabled ?? false
    }

    static func plan(_ run: RunInfo, _ settings: RunSettings, on db: isolated Connection) throws -> [JobSpec] {
        let config = try settings.configuration()
        let people = config.enrichment.people
        try EnrichmentStore.openBudget(run: run.id, settings: config.enrichment, on: db)
        try EnrichJobs.loadCSVProviders(people.providers.map(\.provider), manyPerKey: true, params: settings.params, on: db)
        let tiers = AccountTier.allCases.filter { (people.plan[$0]?.total ?? 0) > 0 }
        let quota = { (level: PersonaTier) in tiers.map { people.plan[$0]?[level] ?? 0 } }
        try db.query(PeopleQueries.clearPlan, run.id)
        try db.query(
            PeopleQueries.plan, run.id, config.products.first?.product ?? "", tiers.map(\.rawValue), quota(.tier1), quota(.tier2), quota(.tier3),
            settings.params.shardCount)
        let arguments = Arguments(planOnly: settings.params.peoplePlanOnly ?? false)
        return try db.query(PeopleQueries.planChunks, run.id).map { try JobSpec(shard: try $0.decode("chunk"), arguments: arguments) }
    }

    final class Find: JobHandler {
        let kind = PeopleJobs.kind
        let batchSize = 1
        private let prepared = PreparedResults<ShardPeople.Result>()

        func prepare(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let arguments = try job.arguments(Arguments.self)
            let scoring = try RunSettings.of(run: job.runID, on: db).scoring()
            let people = ShardPeople(
                config: scoring.config, asOf: scoring.asOf, environment: ProcessInfo.processInfo.environment, planOnly: arguments.planOnly)
            prepared.keep(try people.lookUp(chunk: job.shard, run: job.runID, on: db), for: job)
        }

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            try ShardPeople.write(try prepared.take(job), on: db)
        }
    }
}
