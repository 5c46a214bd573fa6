import ArgumentParser
import Foundation
import MarketMapCore
import Pipeline
import Postgres

struct PushPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push-plan",
        abstract: "Write the push plan of one CRM instance: records to update and to create, in the CRM's import format, with a rollback file.",
        discussion: """
            The field mapping, picklists and override policies come from the configuration's push.targets (see \
            ops/examples/marketmap.yaml). Nothing is sent to the CRM: load the files with Data Loader / Bulk API 2.0 \
            or HubSpot's importer, after checking a --sample first.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "The target CRM instance (a source name in the configuration's push.targets).") var target: String
    @Option(help: "salesforce-bulk or hubspot (default: the target's format in the configuration).") var format: String?
    @Option(help: "Only N records, spread across tiers, updates and creates (test on 10–20 records first).") var sample: Int?
    @Option(help: "Configuration file (default: the latest market run's).") var config: String?
    @Option(help: "Output directory.") var out: String

    func validate() throws {
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
        if let format, PushTarget.Format(rawValue: format) == nil { throw ValidationError("--format must be salesforce-bulk or hubspot") }
    }

    func run() async throws {
        let logger = global.makeLogger("marketmap.push")
        let summary = try await global.withConnection(logger: logger) { db, _ in
            var settings: MarketMapConfig
            if let config {
                settings = try ConfigLoader.load(config)
            } else {
                guard let loaded = try await db.transaction({ db in try PushPlans.latestRunConfig(on: db) }) else {
                    throw ValidationError("no market run yet: give --config FILE")
                }
                settings = loaded
            }
            if let format, let index = settings.push.firstIndex(where: { $0.instance == target }) {
                settings.push[index].format = PushTarget.Format(rawValue: format) ?? settings.push[index].format
            }
            let plans = try PushPlans(config: settings, instance: target)
            return try await db.transaction { db in try plans.write(sample: sample, to: URL(fileURLWithPath: out), on: db) }
        }
        print("push plan for \(summary.instance) (\(summary.format))\(summary.sample.map { ", sample of \($0)" } ?? "") in \(out)")
        for (kind, part) in [("accounts", summary.accounts), ("contacts", summary.contacts)] {
            print("  \(kind): \(part.updates) to update, \(part.creates) to create, \(part.unchanged) unchanged"
                + part.notCreated.map { ", \($0.value) not created (\($0.key))" }.joined())
            for (field, count) in part.changes.sorted(by: { $0.key < $1.key }) { print("    \(field): \(count) changes") }
            for (field, reasons) in part.skipped.sorted(by: { $0.key < $1.key }) {
                print("    \(field): left alone\(summary.sample == nil ? "" : " (whole plan)") " + reasons.sorted { $0.key < $1.key }.map { "\($0.value) (\($0.key))" }.joined(separator: ", "))
            }
        }
        print("  files: " + summary.files.joined(separator: ", ") + ", summary.json")
    }
}
