import MarketMapCore
import Postgres

/// What a merge takes from review and gives back: the stewards' active
/// decisions (clusters and pins) and the review items it writes.
enum MergeDecisions {
    /// The active `same`, `different` and `detach` decisions.
    static func load(on db: isolated Connection) throws -> MatchDecisions {
        var decisions = MatchDecisions()
        for row in try db.query(ReviewQueries.clusterDecisions) {
            let id: Int64 = try row.decode("id")
            let a = RecordKey(source: try row.decode("a_source"), sourceID: try row.decode("a_id"))
            let b = try row.decode("b_source", as: String?.self).flatMap { source in
                try row.decode("b_id", as: String?.self).map { RecordKey(source: source, sourceID: $0) }
            }
            switch DecisionKind(rawValue: try row.decode("kind")) {
            case .same: if let b { decisions.same.append(.init(a, b, id: id)) }
            case .different: if let b { decisions.different.append(.init(a, b, id: id)) }
            case .detach: decisions.detached.insert(a)
            case .pin, nil: continue
            }
        }
        return decisions
    }

    /// Active pins of the accounts survivorship recomputes: golden id (as
    /// text, the way survivorship streams it) → field → value.
    static func pins(on db: isolated Connection) throws -> [String: [String: String]] {
        var pins: [String: [String: String]] = [:]
        for row in try db.query(ReviewQueries.stalePins) {
            let id: Int = try row.decode("golden_id")
            pins[String(id), default: [:]][try row.decode("field")] = try row.decode("value")
        }
        return pins
    }

    /// Replaces the review items with this merge's, and the accounts whose
    /// sources disagree on domain or country.
    static func writeItems(_ candidates: [ReviewCandidate], runID: Int?, on db: isolated Connection) throws {
        try db.execute(ReviewQueries.createItems)
        try db.copyIn(ReviewQueries.copyItems) { writer in
            for item in candidates {
                try writer.writeRow([
                    item.kind.rawValue, item.key, item.a.source, item.a.sourceID, item.b?.source, item.b?.sourceID,
                    item.score.map { String($0) }, item.evidence, item.action,
                ])
            }
        }
        try db.query(ReviewQueries.upsertItems, runID)
        try db.query(ReviewQueries.upsertDisagreements, runID)
        try db.execute(ReviewQueries.dropUnseenItems)
    }
}
