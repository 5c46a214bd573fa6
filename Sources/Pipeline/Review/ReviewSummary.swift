import MarketMapCore
import Postgres

/// Review in a run's summary, `summary.json` and the HTML report: open items
/// by kind, the decisions in effect by kind, and those naming records that
/// are gone.
public struct ReviewSummary: Codable, Sendable, Equatable {
    public var openItems: [String: Int]
    public var decisionsInEffect: [String: Int]
    /// Active decisions that name a record no longer imported: kept, not applied.
    public var decisionsOnGoneRecords: Int

    public init(on db: isolated Connection) throws {
        let open = try ReviewStore.openCounts(on: db)
        openItems = Dictionary(uniqueKeysWithValues: open.map { ($0.key.rawValue, $0.value) })
        let gone = try ReviewStore.goneDecisions(on: db)
        var active = try ReviewStore.activeCounts(on: db)
        for decision in gone { active[decision.kind, default: 0] -= 1 }
        decisionsInEffect = Dictionary(uniqueKeysWithValues: DecisionKind.allCases.map { ($0.rawValue, active[$0] ?? 0) })
        decisionsOnGoneRecords = gone.count
    }

    public var totalOpen: Int { openItems.values.reduce(0, +) }

    /// "443 open items (432 name match, 7 just below the threshold, ...); decisions in effect: 2 (1 same, 1 pin)".
    public var text: String {
        let n = RunMonitor.grouped
        let kinds = ReviewItemKind.allCases.compactMap { kind in (openItems[kind.rawValue] ?? 0) > 0 ? "\(n(openItems[kind.rawValue] ?? 0)) \(kind.title)" : nil }
        let decided = DecisionKind.allCases.compactMap { kind in
            (decisionsInEffect[kind.rawValue] ?? 0) > 0 ? "\(n(decisionsInEffect[kind.rawValue] ?? 0)) \(kind.rawValue)" : nil
        }
        var text = "\(n(totalOpen)) open items" + (kinds.isEmpty ? "" : " (" + kinds.joined(separator: ", ") + ")")
        text += "; decisions in effect: \(n(decisionsInEffect.values.reduce(0, +)))" + (decided.isEmpty ? "" : " (" + decided.joined(separator: ", ") + ")")
        if decisionsOnGoneRecords > 0 { text += "; \(n(decisionsOnGoneRecords)) naming records that are gone" }
        return text + " — marketmap review list"
    }

    /// The same as a report table (`review`).
    public var report: Report {
        Report(
            name: "review", title: "Steward review — open items by kind, decisions in effect", columns: ["what", "kind", "count"],
            rows: ReviewItemKind.allCases.map { [.text("open items"), .text($0.rawValue), .number(Double(openItems[$0.rawValue] ?? 0))] }
                + DecisionKind.allCases.map { [.text("decisions in effect"), .text($0.rawValue), .number(Double(decisionsInEffect[$0.rawValue] ?? 0))] }
                + [[.text("decisions naming records that are gone"), .text("any"), .number(Double(decisionsOnGoneRecords))]])
    }
}
