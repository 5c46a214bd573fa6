import ArgumentParser
import Enrichment
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import CRM export files of one source instance (streaming; re-importing a file is a no-op).",
        discussion: """
            Rows that cannot be used go to the rejected_rows table with file, line, reason and raw text;
            the report counts them. A header that maps to nothing needed fails before anything is loaded.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Source instance name, e.g. acme-sfdc.") var source: String
    @Option(help: "Export conventions: salesforce, hubspot or generic.") var format: ExportFormat
    @Option(help: "What the files hold: accounts, contacts or opportunities.") var kind: RecordKind = .accounts
    @Option(help: "Field delimiter (one character).") var delimiter = ","
    @Flag(help: "Only stage the files (COPY into import_raw_rows); the normalize stage of the next merge run or `marketmap merge` finishes them on the workers.")
    var stageOnly = false
    @Flag(help: "Print the reports as JSON.") var json = false
    @Argument(help: "CSV files.") var files: [String]

    func validate() throws {
        guard delimiter.utf8.count == 1 else { throw ValidationError("--delimiter must be one ASCII character, e.g. ';'") }
        guard !source.isEmpty else { throw ValidationError("--source must name the CRM instance") }
    }

    func run() async throws {
        let logger = global.makeLogger("marketmap.import")
        let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: logger)
        let separator = delimiter.utf8.first ?? UInt8(ascii: ",")
        let source = self.source, format = self.format, kind = self.kind
        if stageOnly {
            let staged = try await global.withConnection(logger: logger) { db, _ in
                try await Migrator(directory: Migrator.defaultDirectory()).migrate(db, logger: logger)
                var staged: [(String, StagedFile)] = []
                for file in files {
                    staged.append((file, try await importer.stage(file, source: source, format: format, kind: kind, delimiter: separator, on: db)))
                }
                return staged
            }
            for (file, result) in staged {
                print("\(file): staged \(result.read - result.rejected) records, rejected \(result.rejected) (import file \(result.fileID)); the normalize stage finishes them")
            }
            return
        }
        let reports = try await global.withConnection(logger: logger) { db, _ in
            try await Migrator(directory: Migrator.defaultDirectory()).migrate(db, logger: logger)
            var reports: [ImportReport] = []
            for file in files {
                reports.append(try await importer.importFile(file, source: source, format: format, kind: kind, delimiter: separator, on: db))
            }
            return reports
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
            return
        }
        for report in reports {
            print("\(report.file): read \(report.read), new \(report.new), changed \(report.changed), unchanged \(report.unchanged), rejected \(report.rejected)")
            for (reason, count) in report.rejectedByReason.sorted(by: { $0.value > $1.value }) {
                print("  rejected \(count): \(reason)")
            }
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
extension RecordKind: ExpressibleByArgument {}
