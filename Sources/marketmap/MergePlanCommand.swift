import ArgumentParser
import Foundation
import MarketMapCore
import Pipeline
import Postgres

struct MergePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-plan",
        abstract: "Write the merge plan of one CRM instance: its duplicate records, the master each merges into, in the CRM's merge rules.",
        discussion: """
            For every golden account with two or more records of the instance: the master (the record survivorship \
            ranks first), the ordered merge calls (Salesforce: a master and at most two duplicates per merge; HubSpot: \
            two companies per merge), the golden values the master should end with, and the contacts and opportunities \
            that move to it. Nothing is sent to the CRM: see docs/merge-plan.md, and try a --sample first.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "The CRM instance (a source name as imported, e.g. acme-sfdc).") var target: String
    @Option(help: "salesforce or hubspot (default: the format the instance's accounts were imported with).") var crm: CRMKind?
    @Option(help: "Only the first N groups (the smallest golden ids).") var sample: Int?
    @Option(help: "Output directory.") var out: String

    func validate() throws {
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
    }

    func run() async throws {
        let logger = global.makeLogger("marketmap.merge-plan")
        let target = self.target, crm = self.crm, sample = self.sample, out = self.out
        let summary = try await global.withConnection(logger: logger) { db, _ in
            try await db.transaction { db in
                try MergePlans(instance: target, crm: crm, on: db).write(sample: sample, to: URL(fileURLWithPath: out), on: db)
            }
        }
        print("merge plan for \(summary.instance) (\(summary.crm.rawValue))\(summary.sample.map { ", sample of \($0) groups" } ?? "") in \(out)")
        let sizes = summary.groupsBySize.sorted { Int($0.key) ?? 0 < Int($1.key) ?? 0 }.map { "\($0.value) of \($0.key) records" }
        print("  \(summary.groups) golden accounts with duplicates: \(summary.records) records, \(summary.merged) to merge in \(summary.steps) merges"
            + (sizes.isEmpty ? "" : " (" + sizes.joined(separator: ", ") + ")"))
        print("  moving to the master: \(summary.contactsMoved) contacts, \(summary.opportunitiesMoved) opportunities")
        print("  master fields to set: \(summary.fieldChanges)"
            + summary.fieldChangesByField.sorted { $0.key < $1.key }.map { " \($0.key) \($0.value)" }.joined(separator: ","))
        print("  files: " + summary.files.joined(separator: ", "))
    }
}

extension CRMKind: ExpressibleByArgument {}
