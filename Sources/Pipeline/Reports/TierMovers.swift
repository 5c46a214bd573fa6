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
        let baseline = try db.query(ReportQueries.baselineRun).first.map { row -> (run: Int, product: String, config: String, comparedWith: Int?, configChanged: Bool) in
            try row.decode(Int.self, String.self, String.self, Int?.self, Bool.self)
        }
        let baselineRun = baseline?.run
        if let baseline, baseline.run == run {
            // Reported before (the reporter died before finishing its files): the same movers again.
            return try stored(run: run, comparedWith: baseline.comparedWith, configChanged: baseline.configChanged, on: db)
        }
        let comparable = baseline?.product == product
        var rows: [[ReportValue]] = []
        var moved = 0
        if comparable {
            for row in try db.query(ReportQueries.tierMoverRows, product) {
                let old = try state(row, "b_")
                let new = try state(row, "s_")
                let mergedInto: Int? = try row.decode("merged_into")
                guard let move = TierMove.between(old: old, new: new, mergedInto: mergedInto.map { "#\($0)" }) else { continue }
                if ![.new, .removed, .merged].contains(move.change) { moved += 1 }
                rows.append([
                    .number(Double(try row.decode("golden_id", as: Int.self))), text(try row.decode("name")), text(try row.decode("domain")),
                    .text(move.change.rawValue),
                    .text(old?.label ?? ""), .text(new?.label ?? ""), old.map { .number($0.score) } ?? .null, new.map { .number($0.score) } ?? .null,
                    .text(move.reason),
                ])
            }
        } else {
            try db.execute(ReportQueries.clearBaseline)
        }
        let accounts = try db.query(ReportQueries.scoredAccounts, product)[0].decode(Int.self)
        let configChanged = comparable && baseline?.config != configText
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
        let json = try db.query(ReportQueries.storedRows, run, "tier_movers").first?.decode(String.self) ?? "[]"
        let values = (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]]) ?? []
        let rows = values.map { row in
            row.map { cell -> ReportValue in
                if let text = cell as? String { return .text(text) }
                if let number = cell as? NSNumber { return .number(number.doubleValue) }
                return .null
            }
        }
        let moved = rows.filter { row in row.count > 3 && !["new", "removed", "merged"].contains(row[3].display) }.count
        let accounts = try db.query(ReportQueries.scoredAccounts, product)[0].decode(Int.self)
        return Outcome(report: report(rows, moved: moved, comparedWith: comparedWith), accounts: accounts, moved: moved, baselineRun: comparedWith, configChanged: configChanged)
    }

    /// The state in the columns named `prefix` + present (a flag), tier, score, excluded_by, failed_gate and basis; nil when absent.
    func state(_ row: Row, _ prefix: String) throws -> TierState? {
        guard try row.decode(prefix + "present", as: Bool.self) else { return nil }
        return TierState(
            tier: (try row.decode(prefix + "tier", as: String?.self)).flatMap(AccountTier.init(rawValue:)),
            score: try row.decode(prefix + "score"), excludedBy: try row.decode(prefix + "excluded_by"),
            failedGate: try row.decode(prefix + "failed_gate"),
            basis: (try row.decode(prefix + "basis", as: String?.self)).flatMap { ScoreBasis(json: $0) })
    }

    func text(_ value: String?) -> ReportValue { value.map(ReportValue.text) ?? .null }
}
