import Foundation
import JobQueue
import MarketMapCore
@testable import Pipeline
import Postgres
import TestSupport
import Testing

/// The one definition of the market pipeline: its stages, their typed job
/// arguments, and the configuration a run stores once.
@Suite("The market pipeline's definition")
struct PipelineDefinitionTests {
    static let sample = TestServer.repositoryRoot.appendingPathComponent("ops/sample/manifest.yaml").path
    static let example = TestServer.repositoryRoot.appendingPathComponent("ops/examples/marketmap.yaml").path

    func makeRun(_ db: Connection, pipeline: String, stages: [String], params: PostgresJSON = PostgresJSON("{}")) async throws -> RunInfo {
        let id = try await db.transaction { db in
            try Runs(queue: JobQueue()).create(pipeline: pipeline, params: params, stages: stages, on: db)
        }
        return RunInfo(id: id, pipeline: pipeline, params: params)
    }

    @Test("the import and merge pipelines are the market pipeline's first stages, in its order")
    func subsets() throws {
        #expect(MarketPipeline.market.stages == MarketStage.allCases)
        #expect(MarketPipeline.merge.stages.map(\.rawValue) == ["normalize", "match", "components", "resolve", "golden", "survive", "contacts", "settle"])
        #expect(MarketPipeline.import.stages.map(\.rawValue) == ["normalize"])
        let registry = Registry.standard
        #expect(Set(registry.pipelines.keys) == ["import", "merge", "market"])
        // A run without providers in its configuration has neither enrich nor people.
        let plain = RunSettings(params: RunParameters())
        #expect(MarketPipeline.market.stages(for: plain).map(\.rawValue) == ["normalize", "match", "components", "resolve", "golden", "survive", "contacts", "settle", "score"])
        let plan = try RunPlan.load(Self.sample, out: nil)
        #expect(MarketPipeline.market.stages(for: RunSettings(params: plan.params(asOf: "2026-01-01", accounts: 0))) == MarketStage.allCases)
    }

    @Test("the resolve steps: components, golden and settle are one job, resolve, survive and contacts one per shard; all carry the shard count")
    func resolvePlans() throws {
        let settings = RunSettings(params: RunParameters(shards: 3))
        for step in ResolveJobs.Step.allCases {
            let jobs = try ResolveJobs.plan(step, settings)
            #expect(jobs.map(\.shard) == (step.sharded ? [0, 1, 2] : [0]), "\(step)")
            #expect(jobs.allSatisfy { $0.kind == step.kind && $0.payload == #"{"shards":3}"# }, "\(jobs)")
        }
    }

    @Test("a stage the pipeline does not have fails the run with a message that names it and the known ones", arguments: [
        ("market", "bogus"), ("merge", "score"), ("import", "match"),
    ])
    func unknownStage(pipeline: String, stage: String) async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db, pipeline: pipeline, stages: [stage])
            let definition = try #require(Registry.standard.pipelines[pipeline])
            let runs = Runs(queue: JobQueue())
            let step = try await runs.advance(run, planner: definition.planner, on: db)
            let known = try #require(MarketPipeline(rawValue: pipeline)).stages.map(\.rawValue).joined(separator: ", ")
            let message = "stage \(stage) could not be planned: the \(pipeline) pipeline has no stage \"\(stage)\" (its stages: \(known)); "
                + "was the run created by another marketmap version?"
            #expect(step == .failed(stage: stage, error: message))
            let status = try #require(try await runs.status(run.id, on: db))
            #expect(status.state == .failed && status.error == message)
            #expect(status.stages.map(\.state) == [.failed])
            #expect(try await db.query("SELECT count(*) FROM jobs")[0].decode(0, as: Int.self) == 0, "no job was planned")
        }
    }

    @Test("run params of the wrong type fail the run at its first stage, naming the field")
    func badParams() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db, pipeline: "merge", stages: ["normalize"], params: PostgresJSON(#"{"shards": "many"}"#))
            let step = try await Runs(queue: JobQueue()).advance(run, planner: try #require(Registry.standard.pipelines["merge"]).planner, on: db)
            guard case .failed(let stage, let error) = step else {
                Issue.record("the run was not failed: \(step)")
                return
            }
            #expect(stage == "normalize")
            #expect(error.contains("the run's params do not decode: field shards"), "\(error)")
        }
    }

    @Test("every job kind's arguments go through the queue and come back equal; another kind's or a broken payload is a permanent error")
    func argumentsRoundTrip() async throws {
        try await withTestConnection { db in
            let run = try await makeRun(db, pipeline: "test", stages: ["s1"])
            let queue = JobQueue()
            let specs = [
                try JobSpec(shard: 0, arguments: NormalizeJobs.Arguments(file: 7, from: 1, to: 25_001, platforms: ["mysites.example"])),
                try JobSpec(shard: 1, arguments: MergeJobs.MatchArguments(shards: 5)),
                try JobSpec(shard: 2, arguments: ResolveJobs.SurviveArguments(shards: 3)),
                try JobSpec(shard: 3, arguments: EnrichJobs.Arguments(shards: 6)),
                try JobSpec(shard: 4, arguments: ScoreJobs.Arguments(shards: 9)),
                try JobSpec(shard: 5, arguments: PeopleJobs.Arguments(planOnly: true)),
                JobSpec(kind: ScoreJobs.kind, shard: 6, payload: #"{"shards": "nine"}"#),
            ]
            #expect(specs.map(\.kind) == ["import.normalize", "merge.match", "merge.survive", "enrich.accounts", "score.accounts", "people.find", "score.accounts"])
            try await queue.enqueue(specs, run: run.id, stage: "s1", on: db)
            let jobs = Dictionary(uniqueKeysWithValues: try await queue.claim(limit: 10, owner: "t", on: db).map { ($0.shard, $0) })
            #expect(jobs.count == specs.count)
            let job = { (shard: Int) in try #require(jobs[shard]) }
            #expect(try job(0).arguments(NormalizeJobs.Arguments.self) == NormalizeJobs.Arguments(file: 7, from: 1, to: 25_001, platforms: ["mysites.example"]))
            #expect(try job(1).arguments(MergeJobs.MatchArguments.self) == MergeJobs.MatchArguments(shards: 5))
            #expect(try job(2).arguments(ResolveJobs.SurviveArguments.self) == ResolveJobs.SurviveArguments(shards: 3))
            #expect(try job(3).arguments(EnrichJobs.Arguments.self) == EnrichJobs.Arguments(shards: 6))
            #expect(try job(4).arguments(ScoreJobs.Arguments.self) == ScoreJobs.Arguments(shards: 9))
            #expect(try job(5).arguments(PeopleJobs.Arguments.self) == PeopleJobs.Arguments(planOnly: true))
            let other = try job(1)
            #expect(throws: JobPayloadError(job: other.id, kind: "merge.match", problem: "a merge.match job does not take the arguments of score.accounts")) {
                try other.arguments(ScoreJobs.Arguments.self)
            }
            let broken = try job(6)
            let error = #expect(throws: JobPayloadError.self) { try broken.arguments(ScoreJobs.Arguments.self) }
            #expect(error?.problem.hasPrefix("field shards: expected Int") == true, "\(String(describing: error))")
            #expect(JobQueue.isPermanent(try #require(error)))
        }
    }

    @Test("a run stores its configuration once, as JSON that decodes to what the YAML says; a run of an older binary (YAML text only) still decodes")
    func storedConfiguration() throws {
        let plan = try RunPlan.load(Self.sample, out: nil)
        let params = plan.params(asOf: "2026-01-01", accounts: 0)
        let stored = try #require(params.configuration, "the sample's configuration has a JSON form")
        #expect(params.config == plan.configText)
        #expect(try StoredConfiguration.decode(stored, file: "x") == plan.config)
        // Through the database's params text and back, as a job reads it.
        let settings = try RunSettings.of(try params.json())
        #expect(try settings.configuration() == plan.config)
        #expect(settings.params.shardCount == 8 && settings.params.priority == ["acme-sfdc", "acme-hubspot"] && settings.params.day == "2026-01-01")
        // Older runs carry only the YAML text.
        var older = params
        older.configuration = nil
        #expect(try RunSettings.of(try older.json()).configuration() == plan.config)
        // The documented example round-trips too.
        let example = try String(contentsOfFile: Self.example, encoding: .utf8)
        let config = try ConfigLoader.parse(example, file: Self.example)
        #expect(try StoredConfiguration.json(example, config: config).map { try StoredConfiguration.decode($0, file: "x") } == config)
        // YAML that JSON cannot say the same way (an anchor) stays text, and still decodes.
        let anchored = plan.configText + "\nterritories: &t {}\nalerts: *t\n"
        if let parsed = try? ConfigLoader.parse(anchored, file: "anchored") {
            #expect(StoredConfiguration.json(anchored, config: parsed) == nil)
        }
        // A run without a configuration says how to give it one.
        let error = #expect(throws: ConfigError.self) { try RunSettings.of(PostgresJSON(#"{"shards": 2}"#)).configuration() }
        #expect(error?.description.contains("runs start --config FILE") == true, "\(String(describing: error))")
    }
}
