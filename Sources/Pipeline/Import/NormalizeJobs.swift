import Enrichment
import Foundation
import JobQueue
import Logging
import MarketMapCore
import Postgres

/// The `normalize` stage: every staged file (`import_files.status = 'staged'`)
/// is cut into line ranges of `lines_per_job` (run param, default 25,000),
/// one `import.normalize` job each, so all workers parse and normalize in
/// parallel. A job writes and deletes its range in its own transaction.
enum NormalizeJobs {
    static let kind = "import.normalize"

    static func register(into registry: inout Registry) {
        registry.register(Normalize())
        registry.register(PipelineDefinition(name: "import", stages: { _ in ["normalize"] }, planner: Planner()))
    }

    /// The `import` pipeline: only the normalize stage (after `import --stage-only` on a fleet).
    struct Planner: StagePlanner {
        func jobs(for stage: String, run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
            try NormalizeJobs.plan(run, on: db)
        }
    }

    static func plan(_ run: RunInfo, on db: isolated Connection) throws -> [JobSpec] {
        let perJob = max(100, run.params.field("lines_per_job", as: Int.self) ?? 25_000)
        // The configuration's hosting platforms and legal forms, as JSON arrays, for every job.
        // A configuration that does not parse is reported by the first job that needs it (`merge.match`).
        let match = run.params.field("config", as: String.self).flatMap { try? ConfigLoader.parse($0, file: "the run's configuration") }?.match
        let platforms = String(decoding: try JSONEncoder().encode(match?.platformAdditions ?? []), as: UTF8.self)
        let legalForms = String(decoding: try JSONEncoder().encode(match?.legalFormAdditions ?? []), as: UTF8.self)
        let files = try db.query(ImportQueries.stagedFiles).map { (try $0.decode(0, as: Int.self), try $0.decode(1, as: Int.self)) }
        try importer().prepareStaged(files: files.map(\.0), on: db)
        var jobs: [JobSpec] = []
        for (id, lastLine) in files {
            for from in stride(from: 1, through: lastLine, by: perJob) {
                jobs.append(JobSpec(
                    kind: kind, shard: jobs.count,
                    payload: "{\"file\":\(id),\"from\":\(from),\"to\":\(from + perJob),\"platforms\":\(platforms),\"legal_forms\":\(legalForms)}"))
            }
        }
        return jobs
    }

    static func importer(platforms additions: [String] = [], legalForms: [String] = []) -> Importer {
        Importer(
            domains: DomainNormalizer(resolver: LibPSLResolver.shared, platforms: HostingPlatforms().adding(additions)),
            legalForms: LegalForms.builtIn.adding(legalForms), logger: Logger(label: "marketmap.import"))
    }

    struct Normalize: JobHandler {
        let kind = NormalizeJobs.kind
        let batchSize = 1

        /// The payload `plan` writes: a file and a line range of it.
        struct Payload: Decodable {
            var file: Int
            var from: Int
            var to: Int
            /// The configuration's hosting platforms (`match.hosting_platforms`).
            var platforms: [String]?
            /// The configuration's legal forms (`match.legal_forms`).
            var legalForms: [String]?

            enum CodingKeys: String, CodingKey {
                case file, from, to, platforms
                case legalForms = "legal_forms"
            }
        }

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let range = try job.decodePayload(Payload.self)
            guard range.from < range.to else {
                throw JobPayloadError(job: job.id, kind: kind, problem: "the line range \(range.from)..<\(range.to) is empty")
            }
            try NormalizeJobs.importer(platforms: range.platforms ?? [], legalForms: range.legalForms ?? [])
                .normalize(file: range.file, lines: range.from..<range.to, on: db)
        }
    }
}
