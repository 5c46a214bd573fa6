/// An account's ICP result for one product at one run.
public struct TierState: Sendable, Equatable {
    /// Nil: excluded from the market.
    public var tier: AccountTier?
    public var score: Double
    public var excludedBy: String?
    public var failedGate: String?
    public var basis: ScoreBasis?

    public init(tier: AccountTier?, score: Double, excludedBy: String? = nil, failedGate: String? = nil, basis: ScoreBasis? = nil) {
        (self.tier, self.score, self.excludedBy, self.failedGate, self.basis) = (tier, score, excludedBy, failedGate, basis)
    }

    public var label: String { tier?.rawValue ?? "excluded" }
}

/// A tier mover between two runs (`DOMAIN.md` §9): what changed and why,
/// in words a RevOps reader can check against the CRM.
public struct TierMove: Sendable, Equatable {
    public enum Change: String, Sendable, Codable, CaseIterable {
        /// A golden account the previous run did not have.
        case new
        /// Every source record of the account left the exports.
        case removed
        /// The account's records now belong to another golden account.
        case merged
        case up, down
        /// An exclusion now holds.
        case excluded
        /// An exclusion no longer holds.
        case included
    }

    public var change: Change
    public var reason: String

    public init(change: Change, reason: String) {
        self.change = change
        self.reason = reason
    }

    /// The move from `old` to `new`, or nil when the tier is the same.
    /// `mergedInto` names the account a vanished one's records joined.
    public static func between(old: TierState?, new: TierState?, mergedInto: String? = nil) -> TierMove? {
        switch (old, new) {
        case (nil, nil):
            return nil
        case (nil, let new?):
            return TierMove(change: .new, reason: "new account: \(new.label), score \(points(new.score))")
        case (let old?, nil):
            if let mergedInto { return TierMove(change: .merged, reason: "merged into account \(mergedInto) (was \(old.label))") }
            return TierMove(change: .removed, reason: "no source record left in the exports (was \(old.label))")
        case (let old?, let new?):
            guard old.tier != new.tier else { return nil }
            let changes = fieldChanges(old.basis, new.basis)
            if new.tier == nil {
                let field = new.excludedBy ?? "an exclusion"
                return TierMove(change: .excluded, reason: "excluded by \(field)" + detail(of: field, in: changes))
            }
            if old.tier == nil {
                let field = old.excludedBy ?? "an exclusion"
                return TierMove(change: .included, reason: "no longer excluded by \(field)" + detail(of: field, in: changes) + ", score \(points(new.score))")
            }
            var parts: [String] = []
            if old.failedGate != new.failedGate {
                if let gate = new.failedGate { parts.append("gate \(gate) fails" + detail(of: gate, in: changes)) }
                if let gate = old.failedGate { parts.append("gate \(gate) holds again" + detail(of: gate, in: changes)) }
            }
            parts += changes.filter { $0.field != old.failedGate && $0.field != new.failedGate }.map(\.text)
            if parts.isEmpty { parts.append("same data: the scoring configuration changed") }
            let change: Change = (new.tier ?? .t3) < (old.tier ?? .t3) ? .up : .down
            return TierMove(change: change, reason: parts.joined(separator: "; ") + "; score \(points(old.score)) → \(points(new.score))")
        }
    }

    struct FieldChange {
        var field: String
        var text: String
    }

    /// Fields whose value or points differ, in the newer basis's order.
    static func fieldChanges(_ old: ScoreBasis?, _ new: ScoreBasis?) -> [FieldChange] {
        let before = Dictionary((old?.entries ?? []).map { ($0.field, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [FieldChange] = []
        for entry in new?.entries ?? [] {
            let previous = before[entry.field]
            guard previous?.value != entry.value || previous?.points != entry.points else { continue }
            var text = "\(entry.field) \(shown(previous?.value)) → \(shown(entry.value))"
            if let now = entry.points, now != (previous?.points ?? 0) {
                let delta = now - (previous?.points ?? 0)
                text += " (\(delta > 0 ? "+" : "")\(points(delta)) pts)"
            }
            changes.append(FieldChange(field: entry.field, text: text))
        }
        return changes
    }

    static func detail(of field: String, in changes: [FieldChange]) -> String {
        guard let change = changes.first(where: { $0.field == field }) else { return "" }
        return " (" + change.text + ")"
    }

    static func shown(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "blank" }
        return value.count > 40 ? String(value.prefix(40)) + "…" : value
    }

    static func points(_ value: Double) -> String { FieldValue.number((value * 10).rounded() / 10).text }
}
