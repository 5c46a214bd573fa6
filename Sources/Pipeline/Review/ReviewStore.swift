import Foundation
import MarketMapCore
import Postgres

/// Review items and stewards' decisions: what `marketmap review` and the
/// review page read and write. Decisions take effect in the next merge.
public enum ReviewStore {
    /// Items by filter, open ones first by kind and score.
    public static func items(_ filter: ReviewFilter, on db: isolated Connection) throws -> [ReviewItem] {
        let rows = try db.query(
            ReviewQueries.items, filter.kind?.rawValue, filter.country, filter.rep, filter.tier, filter.includeDecided,
            max(0, filter.limit), max(0, filter.offset))
        return try withRecords(rows.map(item), on: db)
    }

    public static func item(_ id: Int64, on db: isolated Connection) throws -> ReviewItem {
        guard let row = try db.query(ReviewQueries.item, id).first else { throw ReviewError.noSuchItem(id) }
        return try withRecords([try item(row)], on: db)[0]
    }

    /// Open items per kind (every kind listed, zero when none).
    public static func openCounts(on db: isolated Connection) throws -> [ReviewItemKind: Int] {
        var counts = Dictionary(uniqueKeysWithValues: ReviewItemKind.allCases.map { ($0, 0) })
        for row in try db.query(ReviewQueries.openCounts) {
            if let kind = ReviewItemKind(rawValue: try row.decode("kind")) { counts[kind] = try row.decode("n") }
        }
        return counts
    }

    /// What a decision would do, without storing it.
    public static func preview(_ decision: NewDecision, on db: isolated Connection) throws -> DecisionEffect {
        let checked = try validated(decision, on: db)
        let a = try record(checked.a, on: db)
        var accounts: [Int64: [ReviewRecord]] = [:]
        for id in [a.goldenID, try checked.b.map { try record($0, on: db) }?.goldenID].compactMap({ $0 }) {
            accounts[id] = try accountRecords(id, on: db)
        }
        func size(_ id: Int64?) -> String {
            let count = id.flatMap { accounts[$0]?.count } ?? 1
            return count == 1 ? "1 record" : "\(count) records"
        }
        func account(_ id: Int64?) -> String { id.map { "golden account \($0) (\(size($0)))" } ?? "no golden account yet" }
        let summary: String
        switch checked.kind {
        case .same:
            let b = try record(checked.b ?? checked.a, on: db)
            if let id = a.goldenID, id == b.goldenID {
                summary = "\(checked.a) and \(b.key) are already in \(account(id)); the decision keeps them together in every later run"
            } else {
                let total = (a.goldenID.flatMap { accounts[$0]?.count } ?? 1) + (b.goldenID.flatMap { accounts[$0]?.count } ?? 1)
                summary = "joins \(account(a.goldenID)) and \(account(b.goldenID)) into one account of \(total) records; the larger keeps its id"
            }
        case .different:
            let b = try record(checked.b ?? checked.a, on: db)
            if let id = a.goldenID, id == b.goldenID {
                summary = "splits \(account(id)): \(checked.a) and \(b.key) go to different accounts; the larger part keeps id \(id)"
            } else {
                summary = "\(checked.a) and \(b.key) are already apart; the decision keeps them apart in every later run, whatever rule says"
            }
        case .detach:
            summary = "\(checked.a) leaves \(account(a.goldenID)) and becomes an account of its own"
        case .pin:
            let field = checked.field ?? ""
            let now = try a.goldenID.flatMap { try db.query(ReviewQueries.goldenValue, $0, field).first?.decode("value", as: String?.self) }
            summary = "\(account(a.goldenID)) keeps \(field) = \"\(checked.value ?? "")\" over survivorship (now \"\(now ?? "")\")"
        }
        return DecisionEffect(summary: summary + ". It takes effect in the next run.", accounts: accounts)
    }

    /// Stores a decision after checking it; the same active decision again
    /// returns the stored one.
    @discardableResult
    public static func decide(_ decision: NewDecision, on db: isolated Connection) throws -> ReviewDecision {
        let checked = try validated(decision, on: db)
        let (a, b) = (checked.a, checked.b)
        let key = (b?.source ?? "", b?.sourceID ?? "", checked.field ?? "", checked.value ?? "")
        if let row = try db.query(ReviewQueries.sameDecision, checked.kind.rawValue, a.source, a.sourceID, key.0, key.1, key.2, key.3).first {
            return try Self.decision(row)
        }
        if checked.kind.isPair, let b {
            let other: DecisionKind = checked.kind == .same ? .different : .same
            if let row = try db.query(ReviewQueries.opposite, other.rawValue, a.source, a.sourceID, b.source, b.sourceID).first {
                let id: Int64 = try row.decode("id")
                throw ReviewError.invalid("\(a) and \(b) have an active `\(other.rawValue)` decision (\(id)): undo it first")
            }
        }
        let id: Int64 = try db.query(
            ReviewQueries.insertDecision, checked.kind.rawValue, a.source, a.sourceID, b?.source, b?.sourceID, checked.field,
            checked.value, checked.by, checked.note, checked.itemID)[0].decode("id")
        return try Self.decision(id, on: db)
    }

    /// Undoes an active decision; the history keeps it.
    @discardableResult
    public static func undo(_ decisionID: Int64, by: String, note: String, on db: isolated Connection) throws -> ReviewDecision {
        let who = by.trimmedWhitespace
        guard !who.isEmpty else { throw ReviewError.invalid("say who undoes the decision (--by NAME)") }
        if try db.query(ReviewQueries.undo, decisionID, who, note).isEmpty {
            let existing = try decision(decisionID, on: db)
            throw existing.isActive ? ReviewError.noSuchDecision(decisionID) : ReviewError.alreadyUndone(decisionID)
        }
        return try decision(decisionID, on: db)
    }

    /// Every decision, oldest first; undone ones too when asked.
    public static func decisions(includeUndone: Bool, on db: isolated Connection) throws -> [ReviewDecision] {
        try db.query(ReviewQueries.decisions, includeUndone).map(decision)
    }

    public static func decision(_ id: Int64, on db: isolated Connection) throws -> ReviewDecision {
        guard let row = try db.query(ReviewQueries.decision, id).first else { throw ReviewError.noSuchDecision(id) }
        return try decision(row)
    }

    /// Active decisions naming a record that is no longer a source account:
    /// they stay stored (the record may come back) and are reported.
    public static func goneDecisions(on db: isolated Connection) throws -> [ReviewDecision] {
        try db.query(ReviewQueries.gone).map(decision)
    }

    /// Active decisions per kind.
    public static func activeCounts(on db: isolated Connection) throws -> [DecisionKind: Int] {
        var counts: [DecisionKind: Int] = [:]
        for row in try db.query(ReviewQueries.activeCounts) {
            if let kind = DecisionKind(rawValue: try row.decode("kind")) { counts[kind] = try row.decode("n") }
        }
        return counts
    }

    // MARK: - Reading rows

    /// A decision checked against the database: its records exist, a pair
    /// is two records in code-point order, a pin names a field and a value
    /// the field can hold (stored as read: `Deutschland` → `DE`).
    static func validated(_ decision: NewDecision, on db: isolated Connection) throws -> NewDecision {
        var checked = decision
        checked.by = decision.by.trimmedWhitespace
        guard !checked.by.isEmpty else { throw ReviewError.invalid("say who decides (--by NAME, or the page's login)") }
        if let item = decision.itemID, try db.query(ReviewQueries.itemExists, item).isEmpty { throw ReviewError.noSuchItem(item) }
        for key in [decision.a] + (decision.b.map { [$0] } ?? []) where try db.query(ReviewQueries.record, key.source, key.sourceID).isEmpty {
            throw ReviewError.noSuchRecord(key)
        }
        switch decision.kind {
        case .same, .different:
            guard let b = decision.b else { throw ReviewError.invalid("a `\(decision.kind.rawValue)` decision names two records") }
            guard b != decision.a else { throw ReviewError.invalid("a `\(decision.kind.rawValue)` decision names two different records") }
            (checked.a, checked.b) = (min(decision.a, b), max(decision.a, b))
            (checked.field, checked.value) = (nil, nil)
        case .detach:
            guard decision.b == nil else { throw ReviewError.invalid("a `detach` decision names one record") }
            (checked.field, checked.value) = (nil, nil)
        case .pin:
            guard decision.b == nil else { throw ReviewError.invalid("a `pin` decision names one record of the account") }
            guard let name = decision.field?.trimmedWhitespace.lowercased(), let field = PinnedField(rawValue: name) else {
                throw ReviewError.invalid(
                    "a pin needs a field, one of \(PinnedField.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(decision.field ?? "")\"")
            }
            switch field.read(decision.value ?? "") {
            case .success(let value): (checked.field, checked.value) = (field.rawValue, value)
            case .failure(let error): throw ReviewError.invalid(error.description)
            }
        }
        return checked
    }

    static func record(_ key: RecordKey, on db: isolated Connection) throws -> ReviewRecord {
        guard let row = try db.query(ReviewQueries.record, key.source, key.sourceID).first else { return ReviewRecord(key: key) }
        return try record(row)
    }

    static func accountRecords(_ id: Int64, on db: isolated Connection) throws -> [ReviewRecord] {
        try db.query(ReviewQueries.accountRecords, id).map { try record($0) }
    }

    /// A record from a row with the columns source, source_id, name, website,
    /// country, city, owner, golden_id, match_method.
    private static func record(_ row: Row) throws -> ReviewRecord {
        ReviewRecord(
            key: RecordKey(source: try row.decode("source"), sourceID: try row.decode("source_id")), name: try row.decode("name"),
            website: try row.decode("website"), country: try row.decode("country"), city: try row.decode("city"),
            owner: try row.decode("owner"), goldenID: try row.decode("golden_id"), matchMethod: try row.decode("match_method"))
    }

    private static func item(_ row: Row) throws -> (item: ReviewItem, decision: Int64?) {
        let kindText: String = try row.decode("kind")
        guard let kind = ReviewItemKind(rawValue: kindText) else { throw ReviewError.invalid("unknown review item kind \(kindText)") }
        let item = ReviewItem(
            id: try row.decode("id"), kind: kind, score: try row.decode("score"), evidence: try row.decode("evidence"),
            action: try row.decode("action"), goldenID: try row.decode("golden_id"), records: [], country: try row.decode("country"),
            rep: try row.decode("rep"), tier: try row.decode("tier"), decision: nil)
        return (item, try row.decode("decision_id"))
    }

    /// The items with their records and decisions, in two queries.
    private static func withRecords(_ items: [(item: ReviewItem, decision: Int64?)], on db: isolated Connection) throws -> [ReviewItem] {
        guard !items.isEmpty else { return [] }
        var records: [Int64: [ReviewRecord]] = [:]
        for row in try db.query(ReviewQueries.itemRecords, "{" + items.map { String($0.item.id) }.joined(separator: ",") + "}") {
            records[try row.decode("id"), default: []].append(try record(row))
        }
        return try items.map { entry in
            var item = entry.item
            item.records = records[item.id] ?? []
            item.decision = try entry.decision.map { try decision($0, on: db) }
            return item
        }
    }

    private static func decision(_ row: Row) throws -> ReviewDecision {
        let kindText: String = try row.decode("kind")
        guard let kind = DecisionKind(rawValue: kindText) else { throw ReviewError.invalid("unknown decision kind \(kindText)") }
        let b = try row.decode("b_source", as: String?.self).flatMap { source in
            try row.decode("b_id", as: String?.self).map { RecordKey(source: source, sourceID: $0) }
        }
        return ReviewDecision(
            id: try row.decode("id"), kind: kind, a: RecordKey(source: try row.decode("a_source"), sourceID: try row.decode("a_id")),
            b: b, field: try row.decode("field"), value: try row.decode("value"), decidedBy: try row.decode("decided_by"),
            decidedAt: try row.decode("decided_at"), note: try row.decode("note"), itemID: try row.decode("item_id"),
            undoneBy: try row.decode("undone_by"), undoneAt: try row.decode("undone_at"))
    }
}
