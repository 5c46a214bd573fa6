import ArgumentParser
import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres

/// One `--input`: SOURCE:FORMAT:KIND:FILE.
struct InputSpec: ExpressibleByArgument, Sendable {
    var source: String, format: ExportFormat, kind: RecordKind, path: String

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, !parts[0].isEmpty, let format = ExportFormat(rawValue: parts[1]),
            let kind = RecordKind(rawValue: parts[2]), !parts[3].isEmpty
        else { return nil }
        (source, self.format, self.kind, path) = (parts[0], format, kind, parts[3])
    }
}

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Import the given files, normalize everything staged, and merge all source records into golden accounts and contacts.",
        discussion: """
            Stages, in this process: import (COPY each --input into staging), normalize (every staged file, \
            including ones staged earlier with `import --stage-only`), merge accounts (lineage, survivorship, \
            conflicts; golden ids stay stable across runs), merge contacts (the email → LinkedIn waterfall). \
            Each stage prints its progress and counts. Without --input it merges what is already imported.
            Example: marketmap merge --input acme-sfdc:salesforce:accounts:sfdc.csv --input acme-hs:hubspot:accounts:hs.csv
            """)
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("input"), help: ArgumentHelp(
        "A file to import first, as SOURCE:FORMAT:KIND:FILE (format salesforce|hubspot|generic, kind accounts|contacts|opportunities); repeatable.",
        valueName: "spec"))
    var inputs: [InputSpec] = []
    @Option(help: "Sources in order of trust for survivorship, comma-separated (unlisted ones come last).")
    var sourcePriority: String = ""
    @Option(help: "Weighted name agreement needed to match records without a shared domain (docs/merge.md).")
    var nameThreshold = MatchSettings().nameThreshold
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        guard (0.5...1).contains(nameThreshold) else { throw ValidationError("--name-threshold must be between 0.5 and 1") }
    }

    func run() async throws {
        let logger = global.makeLogger("marketmap.merge")
        let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: logger)
        let merger = AccountMerger(
            settings: MatchSettings(nameThreshold: nameThreshold),
            sourcePriority: sourcePriority.split(separator: ",").map { String($0).trimmedWhitespace }, logger: logger)
        let contacts = ContactMerger(sourcePriority: merger.sourcePriority, logger: logger)
        let inputs = self.inputs, quiet = json
        let progress = StageProgress(quiet: quiet)
        let (imports, report, contactReport) = try await global.withConnection(logger: logger) { db, _ in
            try await Migrator(directory: Migrator.defaultDirectory()).migrate(db, logger: logger)
            var imports: [ImportReport] = []
            progress.begin("import", of: 4)
            for input in inputs {
                let staged = try await importer.stage(input.path, source: input.source, format: input.format, kind: input.kind, on: db)
                progress.line("\(input.path): \(staged.read) records read, \(staged.rejected) rejected while staging")
            }
            progress.end()
            progress.begin("normalize", of: 4)
            let files = try await db.transaction { db in
                try importer.normalizeStaged(on: db) { done, total in progress.count(done, total, unit: "records") }
            }
            for file in files { imports.append(try await importer.report(file: file, on: db)) }
            for report in imports {
                progress.line("\(report.file): new \(report.new), changed \(report.changed), unchanged \(report.unchanged), rejected \(report.rejected)")
            }
            progress.end()
            progress.begin("merge accounts", of: 4)
            let accounts = try await merger.merge(on: db)
            progress.end()
            progress.begin("merge contacts", of: 4)
            let people = try await contacts.merge(on: db)
            progress.end()
            return (imports, accounts, people)
        }
        if json {
            struct All: Encodable { var imports: [ImportReport]; var accounts: MergeReport; var contacts: ContactMergeReport }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(All(imports: imports, accounts: report, contacts: contactReport)), as: UTF8.self))
        } else {
            let read = imports.reduce(0) { $0 + $1.read }, rejected = imports.reduce(0) { $0 + $1.rejected }
            if !imports.isEmpty { print("imported: source rows \(read), rejected \(rejected)") }
            print("accounts: source records \(report.sourceRecords), golden accounts \(report.goldenAccounts), merged duplicates \(report.mergedDuplicates), name-only matches for review \(report.nameMatches), accounts with conflicts \(report.withConflicts), open review items \(report.reviewItems) (marketmap review list)")
            print("contacts: source records \(contactReport.sourceContacts), golden contacts \(contactReport.goldenContacts), matched by email \(contactReport.matchedByEmail), by LinkedIn \(contactReport.matchedByLinkedIn), created \(contactReport.created), without a known account \(contactReport.withoutAccount)")
        }
    }
}
