import ArgumentParser
import Foundation
import Logging
import MarketMapCore
import Pipeline
import Postgres

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge every imported account into golden accounts, with lineage, survivorship and conflicts.",
        discussion: "Golden ids stay stable across runs. Import the sources first with `marketmap import`.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Sources in order of trust for survivorship, comma-separated (unlisted ones come last).")
    var sourcePriority: String = ""
    @Option(help: "Jaro-Winkler similarity of normalized names needed to match records without a shared domain.")
    var nameThreshold = 0.95
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        guard (0.5...1).contains(nameThreshold) else { throw ValidationError("--name-threshold must be between 0.5 and 1") }
    }

    func run() async throws {
        let logger = global.makeLogger("marketmap.merge")
        let merger = AccountMerger(
            settings: MatchSettings(nameThreshold: nameThreshold),
            sourcePriority: sourcePriority.split(separator: ",").map { String($0).trimmedWhitespace }, logger: logger)
        let contacts = ContactMerger(sourcePriority: merger.sourcePriority, logger: logger)
        let (report, contactReport) = try await global.withConnection(logger: logger) { db, _ in
            try await Migrator(directory: Migrator.defaultDirectory()).migrate(db, logger: logger)
            let accounts = try await merger.merge(on: db)
            return (accounts, try await contacts.merge(on: db))
        }
        if json {
            struct Both: Encodable { var accounts: MergeReport; var contacts: ContactMergeReport }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(Both(accounts: report, contacts: contactReport)), as: UTF8.self))
        } else {
            print("accounts: source records \(report.sourceRecords), golden accounts \(report.goldenAccounts), merged duplicates \(report.mergedDuplicates), name-only matches for review \(report.nameMatches), accounts with conflicts \(report.withConflicts)")
            print("contacts: source records \(contactReport.sourceContacts), golden contacts \(contactReport.goldenContacts), matched by email \(contactReport.matchedByEmail), by LinkedIn \(contactReport.matchedByLinkedIn), created \(contactReport.created), without a known account \(contactReport.withoutAccount)")
        }
    }
}
