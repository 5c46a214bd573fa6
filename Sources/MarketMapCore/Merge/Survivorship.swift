/// One source record's values as survivorship sees them.
public struct SurvivorCandidate: Sendable, Equatable {
    public var key: RecordKey
    /// Position of the record's source in the configured priority (0 = first).
    public var sourcePriority: Int
    /// When the record was last active in its CRM (its last activity, an ISO
    /// 8601 date: text compares in time order); nil sorts last. Never the
    /// time marketmap loaded it, which depends on which run saw it change.
    public var updatedAt: String?
    public var values: [String: String]

    public init(key: RecordKey, sourcePriority: Int, updatedAt: String?, values: [String: String]) {
        self.key = key
        self.sourcePriority = sourcePriority
        self.updatedAt = updatedAt
        self.values = values
    }

    /// How many fields are filled: the tie-breaker "most complete".
    var completeness: Int { values.values.filter { !$0.isEmpty }.count }
}

/// The golden record's fields, where each came from, and which fields the
/// sources disagree on.
public struct SurvivedRecord: Sendable, Equatable {
    public var values: [String: String]
    public var origin: [String: RecordKey]
    public var conflicts: [String: [String]]
}

/// Survivorship rules of `DOMAIN.md` §3, per field: the highest-priority
/// source with a non-blank value, then the most recent, then the most
/// complete record, then the smallest key (deterministic).
public enum Survivorship {
    /// The records best first: source priority, then the most recently
    /// updated, then the most complete, then the smallest key. A field's value
    /// comes from the first record that has one; a CRM's merge keeps the first
    /// record of its instance as the master (`MergePlanner`).
    public static func ranked(_ candidates: [SurvivorCandidate]) -> [SurvivorCandidate] {
        candidates.sorted { a, b in
            if a.sourcePriority != b.sourcePriority { return a.sourcePriority < b.sourcePriority }
            if a.updatedAt != b.updatedAt { return (a.updatedAt ?? "") > (b.updatedAt ?? "") }
            if a.completeness != b.completeness { return a.completeness > b.completeness }
            return a.key < b.key
        }
    }

    /// `conflictFields`: the fields whose disagreement is reported (default:
    /// all); pass normalized fields to avoid reporting mere spelling variants.
    public static func survive(
        _ candidates: [SurvivorCandidate], fields: [String], conflictFields: Set<String>? = nil
    ) -> SurvivedRecord {
        let ranked = Self.ranked(candidates)
        var result = SurvivedRecord(values: [:], origin: [:], conflicts: [:])
        for field in Set(fields).union(conflictFields ?? []).sorted() {
            let filled = ranked.compactMap { candidate -> (RecordKey, String)? in
                guard let value = candidate.values[field], !value.isEmpty else { return nil }
                return (candidate.key, value)
            }
            guard let winner = filled.first else { continue }
            if fields.contains(field) {
                result.values[field] = winner.1
                result.origin[field] = winner.0
            }
            let distinct = Set(filled.map { $0.1 })
            if distinct.count > 1, conflictFields?.contains(field) ?? true { result.conflicts[field] = distinct.sorted() }
        }
        return result
    }
}
