import Foundation
import MarketMapCore
import Postgres

/// Tier movers (`DOMAIN.md` §9): the primary product's tiers now against the
/// baseline the previous reported run left (`tier_baseline`), each move with
/// its reason (`TierMove`), then the baseline moved to this run. The first
/// run, or one whose primary product differs from the baseline's, only sets
/// the baseline.
struct TierMovers {
    var product: String
    var configText: String

    struct Outcome {
        var report: Report
        /// Accounts scored now, and how many changed tier (new and removed ones aside).
        var accounts: Int
        var moved: Int
        var baselineRun: Int?
        var configChanged: Bool
    }

    func compute(run: Int, on db: isolated Connection) throws -> Outcome {
        let baseline = try db.query(ReportQueries.baselineRun).first
        let baselineRun: Int? = try baseline?.decode(0)
        if baselineRun == run, let baseline {
            // Reported before (the reporter died before finishing its files): the same movers again.
            return try stored(run: run, comparedWith: try baseline.decode(3), configChanged: try baseline.decode(4), on: db)
        }
        let comparable = try baseline.map { try $0.decode(1, as: String.self) == product } ?? false
        var rows: [[ReportValue]] = []
        var moved = 0
        if comparable {
            for row in try db.query(ReportQueries.tierMoverRows, product) {
                let old = try state(row, present: 3)
                let new = try state(row, present: 9)
                let mergedInto: Int? = try row.decode(15)
                guard let move = TierMove.between(old: old, new: new, mergedInto: mergedInto.map { "#\($0)" }) else { continue }
                if ![.new, .removed, .merged].contains(move.change) { moved += 1 }
                rows.append([
                    .number(Double(try row.decode(0, as: Int.self))), text(try row.decode(1)), text(try row.decode(2)), .text(move.change.rawValue),
                    .text(old?.label ?? ""), .text(new?.label ?? ""), old.map { .number($0.score) } ?? .null, new.map { .number($0.score) } ?? .null,
                    .text(move.reason),
                ])
            }
        } else {
            try db.execute(ReportQueries.clearBaseline)
        }
        let accounts: Int = try db.query(ReportQueries.scoredAccounts, product)[0].decode(0)
        let baselineConfig: String? = try baseline?.decode(2)
        let configChanged = comparable && baselineConfig != configText
        try db.query(ReportQueries.pruneBaseline, product)
        try db.query(ReportQueries.refreshBaseline, product)
        let comparedWith = comparable ? baselineRun : nil
        try db.query(ReportQueries.setBaselineRun, run, product, configText, comparedWith, configChanged)
        return Outcome(report: report(rows, moved: moved, comparedWith: comparedWith), accounts: accounts, moved: moved, baselineRun: comparedWith, configChanged: configChanged)
    }

    func report(_ rows: [[ReportValue]], moved: Int, comparedWith: Int?) -> Report {
        let title: String
        if let comparedWith {
            title = "Tier movers since run \(comparedWith) (\(product)): \(moved) changed tier, \(rows.count - moved) new, removed or merged"
        } else {
            title = "Tier movers (\(product)): none — no earlier run of this product to compare with; this run is the baseline"
        }
        return Report(
            name: "tier_movers", title: title,
            columns: ["golden_id", "name", "domain", "change", "old_tier", "new_tier", "old_score", "new_score", "why"], rows: rows)
    }

    /// The movers already stored for `run`.
    func stored(run: Int, comparedWith: Int?, configChanged: Bool, on db: isolated Connection) throws -> Outcome {
        let json: String = try db.query(ReportQueries.storedRows, run, "tier_movers").first?.decode(0) ?? "[]"
        let values = (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]]) ?? []
        let rows = values.map { row in
            row.map { cell -> ReportValue in
                if let text = cell as? String { return .text(text) }
                if let number = cell as? NSNumber { return .number(number.doubleValue) }
                return .null
            }
        }
        let moved = rows.filter { row in row.count > 3 && !["new", "removed", "merged"].contains(row[3].display) }.count
        let accounts: Int = try db.query(ReportQueries.scoredAccounts, product)[0].decode(0)
        return Outcome(report: report(rows, moved: moved, comparedWith: comparedWith), accounts: accounts, moved: moved, baselineRun: comparedWith, configChanged: configChanged)
    }

    /// The state in columns `present` (a flag), then tier, score, exclusion, gate and basis; nil when absent.
    func state(_ row: Row, present: Int) throws -> TierState? {
        guard try row.decode(present, as: Bool.self) else { return nil }
        return TierState(
            tier: (try row.decode(present + 1, as: String?.self)).flatMap(AccountTier.init(rawValue:)),
            score: try row.decode(present + 2), excludedBy: try row.decode(present + 3), failedGate: try row.decode(present + 4),
            basis: (try row.decode(present + 5, as: String?.self)).flatMap { ScoreBasis(json: $0) })
    }

    func text(_ value: String?) -> ReportValue { value.map(ReportValue.text) ?? .null }
}
