import ArgumentParser
import Foundation
import MarketMapCore
import Pipeline
import Postgres

/// `marketmap review`: what the merge asks a steward to look at, and the
/// decisions every later run keeps (docs/review.md).
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Work through the merge's review items; decisions take effect in the next run.",
        discussion: """
            Records are named source/id, as imported (e.g. acme-sfdc/0015g00000AbCdE). Decisions are kept by
            record, so they survive re-imports, refreshes and golden id changes; `undo` keeps the history.
            """,
        subcommands: [List.self, Show.self, Decide.self, Undo.self, History.self, Export.self, Import.self])

    struct Filters: ParsableArguments {
        @Option(help: "Only items of this kind: \(ReviewItemKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var kind: ReviewItemKind?
        @Option(help: "Only accounts in this country (ISO code).") var country: String?
        @Option(help: "Only accounts of this rep (territory assignment, else owner).") var rep: String?
        @Option(help: "Only accounts of this tier (T1, T2, T3).") var tier: String?
        @Flag(help: "Decided items too.") var all = false

        func filter(limit: Int) -> ReviewFilter {
            ReviewFilter(kind: kind, country: country, rep: rep, tier: tier, includeDecided: all, limit: limit)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open review items, with counts by kind.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var filters: Filters
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "JSON instead of text.") var json = false

        func run() async throws {
            try await global.withConnection(logger: global.makeLogger("marketmap.review")) { db, _ in
                let items = try await ReviewStore.items(filters.filter(limit: limit), on: db)
                if json { return try printJSON(items) }
                let counts = try await ReviewStore.openCounts(on: db)
                print("open review items: " + ReviewItemKind.allCases.map { "\(counts[$0] ?? 0) \($0.title)" }.joined(separator: ", "))
                for item in items { print(line(item)) }
                let gone = try await ReviewStore.goneDecisions(on: db)
                if !gone.isEmpty {
                    print("\(gone.count) decision(s) name records that are gone (kept, reported): " + gone.map { "\($0.id)" }.joined(separator: ", "))
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One item: both sides' records, the evidence, what the merge did.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item id (from `review list`).") var item: Int64
        @Flag(help: "JSON instead of text.") var json = false

        func run() async throws {
            try await global.withConnection(logger: global.makeLogger("marketmap.review")) { db, _ in
                let item = try await ReviewStore.item(item, on: db)
                if json { return try printJSON(item) }
                print(line(item))
                print("  evidence: \(item.evidence)")
                for record in item.records {
                    print("  \(record.key)  \(record.name)  \(record.website)  \(record.country) \(record.city)  owner \(record.owner)  "
                        + "golden \(record.goldenID.map(String.init) ?? "-") (\(record.matchMethod))")
                }
                if let decision = item.decision { print("  decided: \(describe(decision))") }
            }
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide: same, different, detach or pin.",
            discussion: """
                marketmap review decide same acme-sfdc/001A acme-hubspot/9001 --by alice
                marketmap review decide different --item 12 --by alice --note "two franchisees"
                marketmap review decide detach acme-sfdc/001B --by alice
                marketmap review decide pin acme-sfdc/001A --field country --value DE --by alice
                With --item and no records, the item's two records. --dry-run shows the effect and stores nothing.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "same, different, detach or pin.") var kind: DecisionKind
        @Argument(help: "The records (source/id): two for same and different, one for detach and pin.") var records: [String] = []
        @Option(help: "The review item this answers (its records when none are given).") var item: Int64?
        @Option(help: "A pin's field: \(PinnedField.allCases.map(\.rawValue).joined(separator: ", ")).") var field: String?
        @Option(help: "A pin's value.") var value: String?
        @Option(help: "Who decides (default: $USER).") var by: String?
        @Option(help: "Why.") var note = ""
        @Flag(help: "Show the effect, store nothing.") var dryRun = false

        func run() async throws {
            try await global.withConnection(logger: global.makeLogger("marketmap.review")) { db, _ in
                var keys = try records.map { text in
                    guard let key = RecordKey(parsing: text) else { throw ValidationError("\"\(text)\": expected source/id") }
                    return key
                }
                if keys.isEmpty, let item {
                    let records = try await ReviewStore.item(item, on: db).records.map(\.key)
                    keys = kind.isPair ? Array(records.prefix(2)) : Array(records.prefix(1))
                }
                guard let first = keys.first else { throw ValidationError("name the records (source/id) or an --item") }
                let decision = NewDecision(
                    kind: kind, a: first, b: keys.count > 1 ? keys[1] : nil, field: field, value: value, by: by ?? whoAmI(), note: note,
                    itemID: item)
                print(try await ReviewStore.preview(decision, on: db).summary)
                guard !dryRun else { return }
                let stored = try await ReviewStore.decide(decision, on: db)
                print("stored: \(describe(stored))")
            }
        }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Undo a decision (the history keeps it); the next run restores the rules' result.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The decision id (from `review history`).") var decision: Int64
        @Option(help: "Who undoes it (default: $USER).") var by: String?
        @Option(help: "Why.") var note = ""

        func run() async throws {
            try await global.withConnection(logger: global.makeLogger("marketmap.review")) { db, _ in
                let undone = try await ReviewStore.undo(decision, by: by ?? whoAmI(), note: note, on: db)
                print("undone: \(describe(undone)); it takes effect in the next run")
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every decision, oldest first, with who and when; undone ones too.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Active decisions only.") var active = false
        @Flag(help: "JSON instead of text.") var json = false

        func run() async throws {
            try await global.withConnection(logger: global.makeLogger("marketmap.review")) { db, _ in
                let decisions = try await ReviewStore.decisions(includeUndone: !active, on: db)
                if json { return try printJSON(decisions) }
                if decisions.isEmpty { print("no decisions yet") }
                for decision in decisions { print(describe(decision)) }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write review items to a CSV to decide in a spreadsheet: fill `decision` (and `field`/`value` for a pin), then `review import`.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var filters: Filters
        @Argument(help: "The CSV file to write.") var file: String

        func run() async throws {
            try await global.withConnection(logger: global.makeLogger("marketmap.review")) { db, _ in
                let count = try await ReviewCSV.export(filters.filter(limit: 500), to: file, on: db)
                print("\(count) item(s) written to \(file)")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store the decisions of a filled-in export; a bad row is reported with its line and changes nothing.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file (from `review export`).") var file: String
        @Option(help: "Who decided (default: $USER).") var by: String?
        @Flag(help: "Check every row, store nothing.") var dryRun = false

        func run() async throws {
            try await global.withConnection(logger: global.makeLogger("marketmap.review")) { db, _ in
                let result = try await ReviewCSV.importFile(file, by: by ?? whoAmI(), dryRun: dryRun, on: db)
                for (line, reason) in result.rejected { print("\(file):\(line): rejected: \(reason)") }
                print("\(dryRun ? "checked" : "stored") \(result.stored.count) decision(s), \(result.skipped) row(s) without a decision, "
                    + "\(result.rejected.count) rejected" + (dryRun ? "" : "; they take effect in the next run"))
                if !result.rejected.isEmpty { throw ExitCode(1) }
            }
        }
    }
}

extension ReviewItemKind: ExpressibleByArgument {}
extension DecisionKind: ExpressibleByArgument {}

private func whoAmI() -> String { ProcessInfo.processInfo.environment["USER"] ?? "steward" }

private func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

private func line(_ item: ReviewItem) -> String {
    let records = item.records.prefix(3).map { "\($0.key) \"\($0.name)\"" }.joined(separator: " ~ ")
        + (item.records.count > 3 ? " (+\(item.records.count - 3))" : "")
    return "#\(item.id)  \(item.kind.rawValue)  \(item.score.map { String(format: "%.2f", $0) } ?? "-")  \(item.action)  \(records)"
        + (item.decision.map { "  [decided: \($0.kind.rawValue)]" } ?? "")
}

private func describe(_ decision: ReviewDecision) -> String {
    var text = "decision \(decision.id): \(decision.kind.rawValue) \(decision.a)"
    if let b = decision.b { text += " \(b)" }
    if let field = decision.field { text += " \(field)=\"\(decision.value ?? "")\"" }
    text += " by \(decision.decidedBy) at \(decision.decidedAt)"
    if !decision.note.isEmpty { text += " (\(decision.note))" }
    if let undone = decision.undoneAt { text += ", undone by \(decision.undoneBy ?? "?") at \(undone)" }
    return text
}
