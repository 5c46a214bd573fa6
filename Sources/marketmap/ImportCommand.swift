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
            The encoding (UTF-8, UTF-16LE/BE with or without a byte-order mark, Windows-1252) and the delimiter \
            (, ; tab |) are detected from the file unless given; a file that is not UTF-8 is transcoded, and the \
            report says so. Rows that cannot be used go to the rejected_rows table with file, line, reason and raw \
            text, and the report counts them: read = new + changed + unchanged + rejected. A header that maps to \
            nothing needed, or a Salesforce/HubSpot header without its record id column, fails before anything is loaded.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Source instance name, e.g. acme-sfdc.") var source: String
    @Option(help: "Export conventions: salesforce, hubspot or generic.") var format: ExportFormat
    @Option(help: "What the files hold: accounts, contacts or opportunities.") var kind: RecordKind = .accounts
    @Option(help: "Field delimiter: one ASCII character, tab, or auto (detected from the header: , ; tab |).") var delimiter = "auto"
    @Option(help: "Text encoding: auto (detected), utf-8, utf-16le, utf-16be, windows-1252 or latin-1.") var encoding = "auto"
    @Flag(help: "Allow a Salesforce or HubSpot file without its record id column: ids derived from name, domain and country (contacts: account id, email, LinkedIn, name); rows with the same derived id are rejected as duplicates.")
    var derivedIds = false
    @Flag(help: "Only stage the files (COPY into import_raw_rows); the normalize stage of the next merge run or `marketmap merge` finishes them on the workers.")
    var stageOnly = false
    @Flag(help: "Print the reports as JSON.") var json = false
    @Argument(help: "CSV files.") var files: [String]

    func validate() throws { _ = try options() }

    /// The reading options, or why an option's value is wrong.
    func options() throws -> ImportOptions {
        if let problem = ImportOptions.sourceNameProblem(source) { throw ValidationError("--source: \(problem)") }
        var options = ImportOptions(derivedIDs: derivedIds)
        switch ImportOptions.delimiter(delimiter) {
        case .success(let value): options.delimiter = value
        case .failure(let error): throw ValidationError("--delimiter: \(error)")
        }
        switch ImportOptions.encoding(encoding) {
        case .success(let value): options.encoding = value
        case .failure(let error): throw ValidationError("--encoding: \(error)")
        }
        return options
    }

    func run() async throws {
        let logger = global.makeLogger("marketmap.import")
        let importer = Importer(domains: DomainNormalizer(resolver: LibPSLResolver.shared), logger: logger)
        let options = try options()
        let source = self.source, format = self.format, kind = self.kind
        if stageOnly {
            let staged = try await global.withConnection(logger: logger) { db, _ in
                try await Migrator(directory: Migrator.defaultDirectory()).migrate(db, logger: logger)
                var staged: [(String, StagedFile)] = []
                for file in files {
                    staged.append((file, try await importer.stage(file, source: source, format: format, kind: kind, options: options, on: db)))
                }
                return staged
            }
            for (file, result) in staged {
                print("\(file): staged \(result.read - result.rejected) records, rejected \(result.rejected) (import file \(result.fileID)); the normalize stage finishes them")
                for note in result.notes { print("  \(note)") }
            }
            return
        }
        let reports = try await global.withConnection(logger: logger) { db, _ in
            try await Migrator(directory: Migrator.defaultDirectory()).migrate(db, logger: logger)
            var reports: [ImportReport] = []
            for file in files {
                reports.append(try await importer.importFile(file, source: source, format: format, kind: kind, options: options, on: db))
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
            if let layout = report.layoutNote { print("  \(layout)") }
            for (reason, count) in report.rejectedByReason.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                print("  rejected \(count): \(reason)")
            }
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
extension RecordKind: ExpressibleByArgument {}
