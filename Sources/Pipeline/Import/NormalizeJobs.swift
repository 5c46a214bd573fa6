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
    }

    /// A job's arguments: a file and a line range of it.
    struct Arguments: JobArguments {
        static let kind = NormalizeJobs.kind
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

    static func plan(_ run: RunInfo, _ settings: RunSettings, on db: isolated Connection) throws -> [JobSpec] {
        let perJob = settings.params.linesPerNormalizeJob
        // The configuration's hosting platforms and legal forms, for every job; without a configuration, none.
        let match = settings.hasConfiguration ? try settings.configuration().match : nil
        let (platforms, legalForms) = (match?.platformAdditions ?? [], match?.legalFormAdditions ?? [])
        let files = try db.query(ImportQueries.stagedFiles).map { (try $0.decode("id", as: Int.self), try $0.decode("last_line", as: Int.self)) }
        try importer().prepareStaged(files: files.map(\.0), on: db)
        var jobs: [JobSpec] = []
        for (id, lastLine) in files {
            for from in stride(from: 1, through: lastLine, by: perJob) {
                jobs.append(try JobSpec(shard: jobs.count, arguments: Arguments(
                    file: id, from: from, to: from + perJob, platforms: platforms, legalForms: legalForms)))
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

        func handle(_ job: ClaimedJob, context: JobContext, on db: isolated Connection) throws {
            let range = try job.arguments(Arguments.self)
            guard range.from < range.to else {
                throw JobPayloadError(job: job.id, kind: kind, problem: "the line range \(range.from)..<\(range.to) is empty")
            }
            try NormalizeJobs.importer(platforms: range.platforms ?? [], legalForms: range.legalForms ?? [])
                .normalize(file: range.file, lines: range.from..<range.to, on: db)
        }
    }
}
