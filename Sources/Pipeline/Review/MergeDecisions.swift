import MarketMapCore
import Postgres

/// What a merge takes from review and gives back: the stewards' active
/// decisions (clusters and pins) and the review items it writes.
enum MergeDecisions {
    /// The active `same`, `different` and `detach` decisions resolve shard
    /// `shard` of run `run` honours: those whose records are all of its
    /// components or gone (a decision on gone records only goes to shard 0,
    /// which reports it). A `different` across shards keeps apart records
    /// that no edge could join anyway. The one-process merge (run 0, no
    /// components) takes them all.
    static func load(run: Int, shard: Int, on db: isolated Connection) throws -> MatchDecisions {
        var decisions = MatchDecisions()
        for row in try db.query(MergeQueries.shardDecisions, run) {
            let shards = [try row.decode("a_shard", as: Int?.self), try row.decode("b_shard", as: Int?.self)].compactMap { $0 }
            guard shards.allSatisfy({ $0 == shard }), !shards.isEmpty || shard == 0 else { continue }
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

    /// Keeps a resolve shard's review candidates for its `survive` step.
    static func stageItems(_ candidates: [ReviewCandidate], run: Int, shard: Int, on db: isolated Connection) throws {
        try db.query(MergeQueries.deleteShardReview, run, shard)
        try db.copyIn(MergeQueries.copyReview) { writer in
            for item in candidates {
                try writer.writeRow([
                    String(run), String(shard), item.kind.rawValue, item.key, item.a.source, item.a.sourceID, item.b?.source,
                    item.b?.sourceID, item.score.map { String($0) }, item.evidence, item.action,
                ])
            }
        }
    }

    /// Upserts a resolve shard's review items (`runID`: the pipeline run, or
    /// nil for the one-process merge) and those of its accounts whose sources
    /// disagree on domain or country; `dropUnseen` removes the rest at the end.
    static func writeItems(run: Int, shard: Int, runID: Int?, on db: isolated Connection) throws {
        try db.execute(ReviewQueries.createItems)
        try db.query(ReviewQueries.fillItems, run, shard)
        try db.query(ReviewQueries.upsertItems, runID)
        try db.query(ReviewQueries.upsertDisagreements, runID)
    }

    /// Drops the review items this resolve no longer produced.
    static func dropUnseen(runID: Int?, on db: isolated Connection) throws {
        try db.query(ReviewQueries.dropUnseenItems, runID)
    }
}
